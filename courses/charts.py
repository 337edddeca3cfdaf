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
