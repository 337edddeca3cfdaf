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
