"""Quiz summary and item analysis of ``quizzes.statistics``, checked against values computed
independently with numpy on the same generated score matrices. Pure: no database, no Django."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizzes import statistics as quiz_statistics
from quizzes.statistics import (
    FLAG_DOES_NOT_DISCRIMINATE,
    FLAG_TOO_EASY,
    FLAG_TOO_HARD,
    SCORE_BIN_LABELS,
    AttemptScores,
    ChoicePick,
    item_statistics,
    item_version_statistics,
    quiz_summary,
)

TOLERANCE = 1e-9


@pytest.fixture(autouse=True)
def _clean_cache():
    """Overrides the suite's Redis cache clean-up: statistics touch no cache, and these tests
    must also run without Django (``-p no:django``)."""
    yield


# --- generated data sets -----------------------------------------------------------------


def generated_matrix(seed, n_attempts=200, n_items=8):
    """Scores from a simple ability model: varied difficulty, single-answer items scoring 0/1,
    partial-credit items scoring quarters, and two items with no variance at all."""
    rng = np.random.default_rng(seed)
    ability = rng.normal(size=(n_attempts, 1))
    difficulty = np.linspace(-2.5, 2.5, n_items)
    p_correct = 1 / (1 + np.exp(-(ability - difficulty)))
    matrix = (rng.random((n_attempts, n_items)) < p_correct).astype(float)
    partial = rng.binomial(4, p_correct[:, 1::3]) / 4
    matrix[:, 1::3] = partial
    matrix[:, 2] = 1.0  # everyone right: facility 1, no variance
    matrix[:, 5] = 0.0  # everyone wrong: facility 0, no variance
    return matrix


def attempts_from(matrix, pass_mark=60.0):
    """One AttemptScores per row; NaN means the question was not drawn for that attempt."""
    attempts = []
    for row_number, row in enumerate(matrix):
        fractions = {f"q{j}": float(v) for j, v in enumerate(row) if not math.isnan(v)}
        percent = round(100 * math.fsum(fractions.values()) / len(fractions), 2) if fractions else 0.0
        attempts.append(
            AttemptScores(
                attempt_id=row_number,
                total_percent=percent,
                passed=percent >= pass_mark,
                item_fractions=fractions,
            )
        )
    return attempts


def numpy_item_reference(matrix, j):
    """Facility, SD and point-biserial against the rest of the test, the numpy way."""
    shown = ~np.isnan(matrix[:, j])
    item = matrix[shown, j]
    others = np.delete(matrix[shown], j, axis=1)
    rest = np.nansum(others, axis=1)
    n = item.size
    sd = float(np.std(item, ddof=1)) if n >= 2 else None
    if n < 2 or np.ptp(item) == 0 or np.ptp(rest) < 1e-12:
        discrimination = None
    else:
        discrimination = float(np.corrcoef(item, rest)[0, 1])
    return n, float(np.mean(item)), sd, discrimination


def assert_matches_numpy(matrix, stats):
    by_id = {s.question_id: s for s in stats}
    for j in range(matrix.shape[1]):
        n, facility, sd, discrimination = numpy_item_reference(matrix, j)
        item = by_id[f"q{j}"]
        assert item.attempts == n
        assert item.facility == pytest.approx(facility, abs=TOLERANCE)
        if sd is None:
            assert item.sd is None
        else:
            assert item.sd == pytest.approx(sd, abs=TOLERANCE)
        if discrimination is None:
            assert item.discrimination is None
        else:
            assert item.discrimination == pytest.approx(discrimination, abs=TOLERANCE)


# --- item statistics against numpy -------------------------------------------------------


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_item_statistics_match_numpy_on_a_generated_data_set(seed):
    matrix = generated_matrix(seed)
    stats = item_statistics(attempts_from(matrix))

    assert [s.question_id for s in stats] == [f"q{j}" for j in range(8)]
    assert_matches_numpy(matrix, stats)
    # The generated data really exercises both branches.
    assert stats[2].discrimination is None and stats[2].sd == 0 and stats[2].facility == 1
    assert stats[5].discrimination is None and stats[5].facility == 0
    assert sum(s.discrimination is not None for s in stats) == 6
    assert all(s.discrimination > 0 for s in stats if s.discrimination is not None)


def test_item_statistics_match_numpy_with_random_draws():
    # A bank of 12 questions, 6 drawn per attempt: each question is analysed over the
    # attempts that were shown it, against the rest of that attempt's own questions.
    rng = np.random.default_rng(11)
    full = generated_matrix(11, n_attempts=300, n_items=12)
    matrix = np.full_like(full, np.nan)
    for i in range(full.shape[0]):
        drawn = rng.choice(12, size=6, replace=False)
        matrix[i, drawn] = full[i, drawn]

    stats = item_statistics(attempts_from(matrix))

    assert sorted(s.question_id for s in stats) == sorted(f"q{j}" for j in range(12))
    assert sum(s.attempts for s in stats) == 300 * 6
    assert all(s.attempts < 300 for s in stats)
    assert_matches_numpy(matrix, stats)


def test_a_constant_rest_of_test_gives_no_discrimination():
    # The question varies but the other two score 0.2 and 0.15 in every attempt. In binary
    # floating point, (x + 0.2 + 0.15) - x comes out as 0.35, 0.3500000000000001 or
    # 0.35000000000000003 depending on x: that noise must not be read as variance.
    matrix = np.array([[x, 0.2, 0.15] for x in (0.0, 0.7, 0.7, 0.0, 0.3333)])
    stats = item_statistics(attempts_from(matrix))
    assert stats[0].discrimination is None
    assert FLAG_DOES_NOT_DISCRIMINATE in stats[0].flags
    assert stats[0].sd == pytest.approx(np.std(matrix[:, 0], ddof=1), abs=TOLERANCE)


def test_a_question_that_only_strong_candidates_get_right_discriminates_perfectly():
    rest = [0.0, 1.0, 2.0, 3.0]
    # The other three questions are right exactly as often as the rest score says.
    attempts = [
        AttemptScores(
            attempt_id=i,
            total_percent=25.0 * r,
            passed=r >= 2,
            item_fractions={"target": r / 3} | {f"o{k}": 1.0 if k < r else 0.0 for k in range(3)},
        )
        for i, r in enumerate(rest)
    ]
    (target, *others) = item_statistics(attempts)
    assert target.question_id == "target"
    assert target.discrimination == pytest.approx(1.0, abs=TOLERANCE)
    assert target.discrimination <= 1.0
    assert FLAG_DOES_NOT_DISCRIMINATE not in target.flags


def test_rounding_never_pushes_a_perfect_correlation_past_one():
    # Found by search: without clamping, these scores give 1.0000000000000002.
    attempts = [
        AttemptScores(
            attempt_id=i,
            total_percent=0.0,
            passed=False,
            item_fractions={"target": round(rest * 0.2 / 2, 4), "o1": rest / 2, "o2": rest / 2},
        )
        for i, rest in enumerate([0.9, 1.5, 1.1, 1.8])
    ]
    assert item_statistics(attempts)[0].discrimination == 1.0


def test_items_are_listed_in_order_of_first_appearance():
    attempts = [
        AttemptScores(attempt_id=1, total_percent=50.0, passed=False, item_fractions={"b": 1.0, "a": 0.0}),
        AttemptScores(attempt_id=2, total_percent=50.0, passed=False, item_fractions={"c": 1.0, "a": 0.0}),
    ]
    assert [s.question_id for s in item_statistics(attempts)] == ["b", "a", "c"]


# --- flags -------------------------------------------------------------------------------


def attempts_scoring(question_id, successes, failures):
    """Attempts where ``question_id`` is right ``successes`` times; a second question tracks it
    so the first discriminates."""
    rows = [1.0] * successes + [0.0] * failures
    return [
        AttemptScores(
            attempt_id=i, total_percent=100 * v, passed=v == 1.0, item_fractions={question_id: v, "anchor": v}
        )
        for i, v in enumerate(rows)
    ]


@pytest.mark.parametrize(
    ("successes", "failures", "easy", "hard"),
    [
        (9, 1, False, False),  # facility exactly 0.9: not flagged
        (19, 1, True, False),  # 0.95
        (10, 0, True, False),  # 1.0
        (2, 8, False, False),  # facility exactly 0.2: not flagged
        (1, 9, False, True),  # 0.1
        (0, 10, False, True),  # 0.0
        (5, 5, False, False),
    ],
)
def test_difficulty_flags_at_the_thresholds(successes, failures, easy, hard):
    (item, _anchor) = item_statistics(attempts_scoring("q", successes, failures))
    assert item.facility == successes / (successes + failures)
    assert (FLAG_TOO_EASY in item.flags) is easy
    assert (FLAG_TOO_HARD in item.flags) is hard


def test_the_discrimination_flag_includes_its_threshold(monkeypatch):
    matrix = generated_matrix(5)
    attempts = attempts_from(matrix)
    observed = item_statistics(attempts)[0].discrimination
    assert observed is not None

    monkeypatch.setattr(quiz_statistics, "DISCRIMINATION_FLAG_AT_OR_BELOW", observed)
    assert FLAG_DOES_NOT_DISCRIMINATE in item_statistics(attempts)[0].flags
    monkeypatch.setattr(
        quiz_statistics, "DISCRIMINATION_FLAG_AT_OR_BELOW", math.nextafter(observed, -math.inf)
    )
    assert FLAG_DOES_NOT_DISCRIMINATE not in item_statistics(attempts)[0].flags


def test_flags_follow_the_documented_thresholds_on_generated_data():
    for s in item_statistics(attempts_from(generated_matrix(8))):
        expected = []
        if s.discrimination is None or s.discrimination <= 0.2:
            expected.append(FLAG_DOES_NOT_DISCRIMINATE)
        if s.facility > 0.9:
            expected.append(FLAG_TOO_EASY)
        if s.facility < 0.2:
            expected.append(FLAG_TOO_HARD)
        assert s.flags == tuple(expected)
    assert quiz_statistics.DISCRIMINATION_FLAG_AT_OR_BELOW == 0.2
    assert quiz_statistics.TOO_EASY_ABOVE == 0.9
    assert quiz_statistics.TOO_HARD_BELOW == 0.2


# --- choice counts -----------------------------------------------------------------------


def test_choice_counts_list_offered_choices_with_zeros_then_other_picks():
    attempts = [
        AttemptScores(attempt_id=i, total_percent=0.0, passed=False, item_fractions={"q1": 0.0, "q2": 0.0})
        for i in range(4)
    ]
    picks = [
        ChoicePick(question_id="q1", choice_id="b"),
        ChoicePick(question_id="q1", choice_id="a"),
        ChoicePick(question_id="q1", choice_id="b"),
        ChoicePick(question_id="q1", choice_id="b"),
        ChoicePick(question_id="q1", choice_id="retired"),
        ChoicePick(question_id="q2", choice_id="y"),
        ChoicePick(question_id="never-shown", choice_id="a"),
    ]
    q1, q2 = item_statistics(attempts, picks, {"q1": ["a", "b", "c", "d"], "not-in-attempts": ["a"]})
    assert list(q1.choice_counts.items()) == [("a", 1), ("b", 3), ("c", 0), ("d", 0), ("retired", 1)]
    assert q2.choice_counts == {"y": 1}


def test_choice_counts_are_empty_without_picks():
    attempts = attempts_scoring("q", 3, 3)
    assert all(s.choice_counts == {} for s in item_statistics(attempts))


def test_picks_may_be_a_one_shot_iterator():
    attempts = iter(attempts_scoring("q", 1, 1))
    picks = (ChoicePick(question_id="q", choice_id=c) for c in "aab")
    (item, _anchor) = item_statistics(attempts, picks)
    assert item.choice_counts == {"a": 2, "b": 1}


# --- edge cases --------------------------------------------------------------------------


def test_no_attempts():
    assert item_statistics([]) == []
    summary = quiz_summary([])
    assert summary.n == 0
    assert summary.mean is summary.median is summary.sd is summary.pass_rate is None
    assert summary.distribution == [(label, 0) for label in SCORE_BIN_LABELS]


def test_one_attempt():
    attempt = AttemptScores(
        attempt_id="only", total_percent=75.0, passed=True, item_fractions={"a": 1.0, "b": 0.5}
    )
    summary = quiz_summary([attempt])
    assert (summary.n, summary.mean, summary.median, summary.sd, summary.pass_rate) == (
        1,
        75.0,
        75.0,
        None,
        1.0,
    )
    a, b = item_statistics([attempt])
    assert (a.attempts, a.facility, a.sd, a.discrimination) == (1, 1.0, None, None)
    assert a.flags == (FLAG_DOES_NOT_DISCRIMINATE, FLAG_TOO_EASY)
    assert b.flags == (FLAG_DOES_NOT_DISCRIMINATE,)


def test_an_attempt_with_a_single_question_has_a_rest_of_zero():
    attempts = [
        AttemptScores(attempt_id=i, total_percent=100 * v, passed=v > 0.5, item_fractions={"q": v})
        for i, v in enumerate([0.0, 1.0, 0.5])
    ]
    (item,) = item_statistics(attempts)
    assert item.discrimination is None
    assert item.facility == 0.5


@pytest.mark.parametrize("bad", [-0.1, 1.5, math.nan])
def test_fractions_outside_0_to_1_are_refused(bad):
    attempt = AttemptScores(attempt_id=7, total_percent=50.0, passed=False, item_fractions={"q": bad})
    with pytest.raises(ValueError, match="fraction"):
        item_statistics([attempt])


@pytest.mark.parametrize("bad", [-1.0, 100.5, math.nan])
def test_percents_outside_0_to_100_are_refused(bad):
    with pytest.raises(ValueError, match="percent"):
        quiz_summary([AttemptScores(attempt_id=7, total_percent=bad, passed=False, item_fractions={})])


# --- quiz summary ------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [1, 4])
def test_quiz_summary_matches_numpy(seed):
    attempts = attempts_from(generated_matrix(seed))
    percents = np.array([a.total_percent for a in attempts])
    passed = np.array([a.passed for a in attempts])

    summary = quiz_summary(attempts)

    assert summary.n == 200
    assert summary.mean == pytest.approx(np.mean(percents), abs=TOLERANCE)
    assert summary.median == pytest.approx(np.median(percents), abs=TOLERANCE)
    assert summary.sd == pytest.approx(np.std(percents, ddof=1), abs=TOLERANCE)
    assert summary.pass_rate == pytest.approx(np.mean(passed), abs=TOLERANCE)
    assert 0 < summary.pass_rate < 1
    # numpy's last histogram bin is closed on the right, as ours is: 100 % is in 90-100.
    counts, _edges = np.histogram(percents, bins=np.arange(0, 101, 10))
    assert summary.distribution == list(zip(SCORE_BIN_LABELS, counts.tolist(), strict=True))


def test_score_distribution_bin_edges():
    percents = [0.0, 9.99, 10.0, 55.0, 89.99, 90.0, 99.99, 100.0]
    attempts = [
        AttemptScores(attempt_id=i, total_percent=p, passed=False, item_fractions={})
        for i, p in enumerate(percents)
    ]
    distribution = dict(quiz_summary(attempts).distribution)
    assert list(distribution) == list(SCORE_BIN_LABELS)
    assert SCORE_BIN_LABELS[0] == "0–10" and SCORE_BIN_LABELS[-1] == "90–100"
    assert distribution["0–10"] == 2
    assert distribution["10–20"] == 1
    assert distribution["50–60"] == 1
    assert distribution["80–90"] == 1
    assert distribution["90–100"] == 3
    assert sum(distribution.values()) == len(percents)


def test_quiz_summary_median_of_an_even_count():
    attempts = [
        AttemptScores(attempt_id=i, total_percent=p, passed=p >= 50, item_fractions={})
        for i, p in enumerate([80.0, 20.0, 40.0, 100.0])
    ]
    summary = quiz_summary(attempts)
    assert summary.median == 60.0
    assert summary.mean == 60.0
    assert summary.pass_rate == 0.5


# --- properties --------------------------------------------------------------------------

hundredths = st.integers(min_value=0, max_value=100).map(lambda k: k / 100)


@st.composite
def sparse_matrices(draw):
    """Up to 30 attempts over up to 5 questions, each question shown or not in each attempt."""
    n_items = draw(st.integers(min_value=1, max_value=5))
    n_attempts = draw(st.integers(min_value=0, max_value=30))
    cells = st.one_of(st.just(math.nan), hundredths, st.sampled_from([0.0, 1.0]))
    rows = draw(
        st.lists(
            st.lists(cells, min_size=n_items, max_size=n_items), min_size=n_attempts, max_size=n_attempts
        )
    )
    return np.array(rows, dtype=float).reshape(n_attempts, n_items)


@given(sparse_matrices())
def test_discrimination_is_a_correlation_or_none(matrix):
    for item in item_statistics(attempts_from(matrix)):
        assert item.discrimination is None or -1.0 <= item.discrimination <= 1.0
        assert 0.0 <= item.facility <= 1.0
        assert item.sd is None or item.sd >= 0.0
        assert (item.sd is None) == (item.attempts < 2)


@given(sparse_matrices())
def test_item_statistics_match_numpy_on_arbitrary_sparse_data(matrix):
    shown_anywhere = [j for j in range(matrix.shape[1]) if (~np.isnan(matrix[:, j])).any()]
    stats = item_statistics(attempts_from(matrix))
    assert [s.question_id for s in stats] == sorted(
        (f"q{j}" for j in shown_anywhere), key=lambda q: first_appearance(matrix, int(q[1:]))
    )
    by_id = {s.question_id: s for s in stats}
    for j in shown_anywhere:
        n, facility, sd, discrimination = numpy_item_reference(matrix, j)
        item = by_id[f"q{j}"]
        assert item.attempts == n
        assert item.facility == pytest.approx(facility, abs=TOLERANCE)
        assert (item.sd is None) == (sd is None)
        if sd is not None:
            assert item.sd == pytest.approx(sd, abs=TOLERANCE)
        assert (item.discrimination is None) == (discrimination is None)
        if discrimination is not None:
            assert item.discrimination == pytest.approx(discrimination, abs=TOLERANCE)


def first_appearance(matrix, j):
    """Position of question j in the row-major scan the function makes."""
    for i, row in enumerate(matrix):
        if not math.isnan(row[j]):
            return (i, j)
    raise AssertionError(f"q{j} never shown")


# --- versions of a question -----------------------------------------------------------------


def test_version_statistics_split_a_question_by_the_version_each_attempt_was_shown():
    attempts = [
        AttemptScores(attempt_id=1, total_percent=50.0, passed=False, item_fractions={"7": 0.0, "8": 1.0}),
        AttemptScores(attempt_id=2, total_percent=100.0, passed=True, item_fractions={"7": 1.0, "8": 1.0}),
        AttemptScores(attempt_id=3, total_percent=50.0, passed=False, item_fractions={"7": 1.0, "8": 0.0}),
        AttemptScores(attempt_id=4, total_percent=0.0, passed=False, item_fractions={"7": 0.0}),
    ]
    versions = {(1, "7"): 30, (2, "7"): 30, (3, "7"): 41, (4, "7"): None, (1, "8"): 12, (2, "8"): 12}

    result = item_version_statistics(attempts, versions)

    assert list(result) == ["7", "8"]  # questions in order of first appearance
    assert [(v.version, v.attempts, v.facility) for v in result["7"]] == [
        (None, 1, 0.0),
        (30, 2, 0.5),
        (41, 1, 1.0),
    ]
    # An attempt without a recorded version (attempt 3 for question 8) counts under None.
    assert [(v.version, v.attempts, v.facility) for v in result["8"]] == [(None, 1, 0.0), (12, 2, 1.0)]
    # The per-version counts add up to the per-question statistics.
    by_question = {s.question_id: s for s in item_statistics(attempts)}
    for question_id, rows in result.items():
        assert sum(v.attempts for v in rows) == by_question[question_id].attempts
        assert math.isclose(
            sum(v.facility * v.attempts for v in rows) / by_question[question_id].attempts,
            by_question[question_id].facility,
        )


def test_version_statistics_refuse_a_fraction_out_of_range():
    bad = [AttemptScores(attempt_id=1, total_percent=10.0, passed=False, item_fractions={"7": 1.5})]
    with pytest.raises(ValueError, match="fraction must be within 0-1"):
        item_version_statistics(bad, {})
