"""Knowledge gain statistics (quizzes.knowledge_gain) against numpy and scipy on generated data."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from quizzes.knowledge_gain import PairedAttempts, knowledge_gain, knowledge_gain_report, student_t_quantile

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


# --- Per objective (question tags) --------------------------------------------------------------

TAGS = ["PRP", "opioids", "Neuropathic pain", "red flags"]


@st.composite
def tagged_cohorts(draw):
    """Questions with random tags and marks, and learners' marks on each in both tests (some questions unasked)."""
    n_questions = draw(st.integers(min_value=1, max_value=8))
    tags_by_question = {str(q): draw(st.sets(st.sampled_from(TAGS), max_size=3)) for q in range(n_questions)}
    marks = {str(q): draw(st.sampled_from([1.0, 2.0, 0.5])) for q in range(n_questions)}
    learners = []
    for n in range(draw(st.integers(min_value=0, max_value=25))):
        tests = []
        for _ in range(2):
            asked = draw(st.lists(st.sampled_from(list(marks)), min_size=1, unique=True))
            items = {q: (draw(st.sampled_from([0.0, 0.5, 1.0])) * marks[q], marks[q]) for q in asked}
            percent = 100 * sum(a for a, _ in items.values()) / sum(m for _, m in items.values())
            tests.append((percent, items))
        learners.append(PairedAttempts(n, tests[0][0], tests[1][0], tests[0][1], tests[1][1]))
    return tags_by_question, learners


def numpy_tag_scores(items_list, tags_by_question, tag):
    """Per learner: earned / available on ``tag``'s questions, by numpy over a marks matrix (NaN where unasked)."""
    questions = sorted(tags_by_question)
    mask = np.array([tag in tags_by_question[q] for q in questions], dtype=float)
    scores = []
    for items in items_list:
        earned = np.array([items.get(q, (0.0, 0.0))[0] for q in questions])
        available = np.array([items.get(q, (0.0, 0.0))[1] for q in questions])
        total = (available * mask).sum()
        scores.append(np.nan if total == 0 else 100 * (earned * mask).sum() / total)
    return np.array(scores)


@given(cohort=tagged_cohorts())
@settings(max_examples=120, deadline=None)
def test_per_tag_gain_matches_numpy_and_scipy(cohort):
    tags_by_question, learners = cohort
    report = knowledge_gain_report(learners, tags_by_question)
    assert report.overall.n == len(learners)
    got = {item.tag: item.gain for item in report.by_tag}
    for tag in TAGS:
        pre = numpy_tag_scores([a.pre_items for a in learners], tags_by_question, tag)
        post = numpy_tag_scores([a.post_items for a in learners], tags_by_question, tag)
        both = ~np.isnan(pre) & ~np.isnan(post)
        if not both.any():
            assert tag not in got
            continue
        gain = got[tag]
        diff = post[both] - pre[both]
        assert gain.n == int(both.sum())
        assert gain.pre_mean == pytest.approx(pre[both].mean(), abs=1e-9)
        assert gain.post_median == pytest.approx(np.median(post[both]), abs=1e-9)
        assert gain.mean_difference == pytest.approx(diff.mean(), abs=1e-9)
        if gain.n < 2:
            assert gain.ci_low is None
        elif diff.std() > 1e-9:
            low, high = stats.t.interval(0.95, gain.n - 1, loc=diff.mean(), scale=stats.sem(diff))
            assert gain.ci_low == pytest.approx(low, abs=1e-6) and gain.ci_high == pytest.approx(
                high, abs=1e-6
            )
    assert [item.tag for item in report.by_tag] == sorted(got, key=lambda t: (t.casefold(), t))


def test_a_tag_counts_only_learners_asked_it_in_both_tests():
    tags = {"q1": {"PRP"}, "q2": {"opioids"}}
    learners = [
        PairedAttempts("a", 50, 100, {"q1": (0, 1), "q2": (1, 1)}, {"q1": (1, 1), "q2": (1, 1)}),
        PairedAttempts("b", 0, 100, {"q2": (0, 1)}, {"q1": (1, 1), "q2": (1, 1)}),  # no PRP question before
    ]
    report = knowledge_gain_report(learners, tags)
    by_tag = {item.tag: item.gain for item in report.by_tag}
    assert by_tag["PRP"].n == 1 and by_tag["PRP"].mean_difference == 100
    assert by_tag["opioids"].n == 2 and by_tag["opioids"].mean_difference == 50
    assert knowledge_gain_report([], tags).by_tag == ()
