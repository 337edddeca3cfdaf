"""Knowledge gain statistics (quizzes.knowledge_gain) against numpy and scipy on generated data."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from quizzes.knowledge_gain import knowledge_gain, student_t_quantile

SCORES = st.floats(min_value=0, max_value=100, allow_nan=False).map(lambda x: round(x, 2))
PAIRS = st.lists(st.tuples(SCORES, SCORES), min_size=2, max_size=60)


@given(pairs=PAIRS)
@settings(max_examples=150, deadline=None)
def test_matches_numpy_and_scipy(pairs):
    result = knowledge_gain(pairs)
    pre, post = np.array([p for p, _ in pairs]), np.array([q for _, q in pairs])
    diff = post - pre
    assert result.n == len(pairs)
    assert result.pre_mean == pytest.approx(pre.mean(), abs=1e-9)
    assert result.post_median == pytest.approx(np.median(post), abs=1e-9)
    assert result.mean_difference == pytest.approx(diff.mean(), abs=1e-9)
    if diff.std() == 0:
        assert result.ci_low == pytest.approx(result.ci_high, abs=1e-9)
        return
    low, high = stats.t.interval(0.95, len(diff) - 1, loc=diff.mean(), scale=stats.sem(diff))
    assert result.ci_low == pytest.approx(low, abs=1e-6)
    assert result.ci_high == pytest.approx(high, abs=1e-6)


@pytest.mark.parametrize("df", [1, 2, 5, 10, 29, 100, 1000])
def test_t_quantile_matches_scipy(df):
    assert student_t_quantile(0.975, df) == pytest.approx(stats.t.ppf(0.975, df), rel=1e-9)


def test_fewer_than_two_pairs_have_no_interval():
    assert knowledge_gain([]).n == 0 and knowledge_gain([]).mean_difference is None
    one = knowledge_gain([(40, 70)])
    assert (one.n, one.mean_difference, one.ci_low) == (1, 30.0, None)
