"""The geometry of the run dashboard's funnel chart (an inline SVG of horizontal bars).

Pure arithmetic from the funnel's stages, so the template only places what is computed
here. The drawing is 640 wide and :data:`ROW_PITCH` per stage: the stage's name is
written left of :data:`BAR_LEFT`, its bar runs up to :data:`BAR_MAX_WIDTH` for 100 % of the
enrolled, and its count and percentage follow the bar.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from courses.reports import FunnelStage

WIDTH = 640
ROW_PITCH = 34
BAR_HEIGHT = 22
BAR_LEFT = 220
BAR_MAX_WIDTH = 330
TOP = 6


@dataclass(frozen=True)
class FunnelBar:
    label: str
    count: int
    percent: int
    y: int
    width: int
    text_y: int
    value_x: int


@dataclass(frozen=True)
class FunnelChart:
    bars: tuple[FunnelBar, ...]
    width: int
    height: int
    bar_left: int


def funnel_chart(stages: Sequence[FunnelStage]) -> FunnelChart:
    """One bar per stage, its length the stage's share of the enrolled (a sliver for a non-zero count)."""
    bars = []
    for index, stage in enumerate(stages):
        width = round(stage.percent * BAR_MAX_WIDTH / 100)
        if stage.count and width < 2:
            width = 2
        y = TOP + index * ROW_PITCH
        bars.append(
            FunnelBar(
                label=stage.label,
                count=stage.count,
                percent=stage.percent,
                y=y,
                width=width,
                text_y=y + BAR_HEIGHT // 2 + 5,
                value_x=BAR_LEFT + width + 8,
            )
        )
    return FunnelChart(
        bars=tuple(bars), width=WIDTH, height=TOP * 2 + len(bars) * ROW_PITCH, bar_left=BAR_LEFT
    )


# --- The evaluation report's Likert distributions -------------------------------------------
#
# One stacked bar per scale item, 100 % of its responses across LIKERT_BAR_WIDTH units from
# LIKERT_BAR_LEFT, one segment per option in the scale's order (first option first); the
# item's name sits above its bar. Segments carry the option's index so the stylesheet
# shades them from the first option to the last.

LIKERT_WIDTH = 640
LIKERT_BAR_LEFT = 10
LIKERT_BAR_WIDTH = 620
LIKERT_BAR_HEIGHT = 22
LIKERT_ROW_PITCH = 52
LIKERT_TOP = 4


@dataclass(frozen=True)
class LikertSegment:
    label: str
    count: int
    percent: float
    level: int  # 1 = the scale's first option
    x: float
    width: float
    text_x: float
    show_value: bool  # room enough to print the percentage inside


@dataclass(frozen=True)
class LikertRow:
    label: str
    responses: int
    label_y: int
    bar_y: int
    text_y: int
    segments: tuple[LikertSegment, ...]


@dataclass(frozen=True)
class LikertChart:
    rows: tuple[LikertRow, ...]
    width: int
    height: int
    bar_height: int


def likert_chart(items: Sequence) -> LikertChart:
    """Stacked bars for the scale items (``ItemSummary``) that have responses."""
    rows = []
    for item in items:
        if item.question.kind != "scale" or not item.responses:
            continue
        offered = sum(option.count for option in item.options) or 1
        y = LIKERT_TOP + len(rows) * LIKERT_ROW_PITCH
        x = float(LIKERT_BAR_LEFT)
        segments = []
        for level, option in enumerate(item.options, start=1):
            width = LIKERT_BAR_WIDTH * option.count / offered
            segments.append(
                LikertSegment(
                    label=option.label,
                    count=option.count,
                    percent=option.percent,
                    level=level,
                    x=round(x, 1),
                    width=round(width, 1),
                    text_x=round(x + width / 2, 1),
                    show_value=width >= 34,
                )
            )
            x += width
        rows.append(
            LikertRow(
                label=item.question.label,
                responses=item.responses,
                label_y=y + 14,
                bar_y=y + 20,
                text_y=y + 20 + LIKERT_BAR_HEIGHT // 2 + 4,
                segments=tuple(segments),
            )
        )
    return LikertChart(
        rows=tuple(rows),
        width=LIKERT_WIDTH,
        height=LIKERT_TOP * 2 + len(rows) * LIKERT_ROW_PITCH,
        bar_height=LIKERT_BAR_HEIGHT,
    )
