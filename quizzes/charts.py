"""The geometry of the item-analysis page's score-distribution chart (an inline SVG).

Pure arithmetic from the distribution the statistics give, so the template only places
what is computed here. The drawing area is 620 × 230: a baseline at y = 190, bars 52
wide every 60 units from x = 14, 160 units for the tallest band, the pass mark at 6
units per percentage point from x = 10.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

BASELINE = 190
BAR_PITCH = 60
BAR_LEFT = 14
BAR_MAX_HEIGHT = 160
UNITS_PER_PERCENT = 6
AXIS_LEFT = 10


@dataclass(frozen=True)
class ChartBar:
    label: str
    count: int
    percent_of_peak: int
    x: int
    height: int
    count_y: int


@dataclass(frozen=True)
class DistributionChart:
    bars: tuple[ChartBar, ...]
    pass_mark_x: int
    pass_label_x: int
    pass_label_anchor: str  # "start" or "end", so the label stays inside the chart


def distribution_chart(
    distribution: Sequence[tuple[str, int]], *, pass_mark_percent: Decimal
) -> DistributionChart:
    """Bars for ``[(band label, attempts), …]`` scaled to the fullest band, and the pass-mark line."""
    peak = max((count for _, count in distribution), default=0) or 1
    bars = []
    for index, (label, count) in enumerate(distribution):
        percent = round(100 * count / peak)
        height = round(percent * BAR_MAX_HEIGHT / 100)
        bars.append(
            ChartBar(
                label=label,
                count=count,
                percent_of_peak=percent,
                x=BAR_LEFT + index * BAR_PITCH,
                height=height,
                count_y=BASELINE - 7 - height,
            )
        )
    pass_x = round(float(pass_mark_percent) * UNITS_PER_PERCENT)
    past_middle = pass_mark_percent > 60
    return DistributionChart(
        bars=tuple(bars),
        pass_mark_x=AXIS_LEFT + pass_x,
        pass_label_x=pass_x + (6 if past_middle else 14),
        pass_label_anchor="end" if past_middle else "start",
    )


# --- Knowledge gain: pre-test and post-test means side by side ----------------------------------
#
# The drawing is GAIN_WIDTH wide and GAIN_ROW_PITCH per row (overall, then each objective):
# the row's name left of GAIN_BAR_LEFT, then two bars on one 0–100 % scale of
# GAIN_BAR_MAX_WIDTH units — the pre-test mean above, the post-test mean below — each
# followed by its value.

GAIN_WIDTH = 640
GAIN_ROW_PITCH = 46
GAIN_BAR_HEIGHT = 15
GAIN_BAR_LEFT = 210
GAIN_BAR_MAX_WIDTH = 340
GAIN_TOP = 24  # room for the legend


@dataclass(frozen=True)
class GainRow:
    label: str
    n: int
    pre_mean: float
    post_mean: float
    pre_y: int
    post_y: int
    pre_width: int
    post_width: int
    label_y: int


@dataclass(frozen=True)
class GainChart:
    rows: tuple[GainRow, ...]
    width: int
    height: int
    bar_left: int
    bar_height: int
    scale_right: int


def _bar_width(percent: float) -> int:
    width = round(max(0.0, min(percent, 100.0)) * GAIN_BAR_MAX_WIDTH / 100)
    return max(width, 2) if percent > 0 else width


def gain_chart(rows: Sequence[tuple[str, object]]) -> GainChart:
    """Bars for ``[(label, KnowledgeGain), …]``: each row's pre- and post-test means; rows without pairs are left out."""
    drawn = []
    for label, gain in rows:
        if not gain.n:
            continue
        y = GAIN_TOP + len(drawn) * GAIN_ROW_PITCH
        drawn.append(
            GainRow(
                label=label,
                n=gain.n,
                pre_mean=gain.pre_mean,
                post_mean=gain.post_mean,
                pre_y=y,
                post_y=y + GAIN_BAR_HEIGHT + 3,
                pre_width=_bar_width(gain.pre_mean),
                post_width=_bar_width(gain.post_mean),
                label_y=y + GAIN_BAR_HEIGHT + 4,
            )
        )
    return GainChart(
        rows=tuple(drawn),
        width=GAIN_WIDTH,
        height=GAIN_TOP + len(drawn) * GAIN_ROW_PITCH + 20,
        bar_left=GAIN_BAR_LEFT,
        bar_height=GAIN_BAR_HEIGHT,
        scale_right=GAIN_BAR_LEFT + GAIN_BAR_MAX_WIDTH,
    )
