"""Grading rules of ``quizzes.grading``: worked examples for every rule, and properties
pinned with hypothesis. Pure: no database, no Django."""

import json
import random
from decimal import ROUND_HALF_UP, Decimal, localcontext

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from quizzes.grading import (
    GradeResult,
    GradingPolicy,
    InvalidKey,
    InvalidPolicy,
    MultipleResponseScoring,
    QuestionKey,
    QuestionKind,
    grade,
)


@pytest.fixture(autouse=True)
def _clean_cache():
    """Overrides the suite's Redis cache clean-up: grading touches no cache, and these tests
    must also run without Django (``-p no:django``)."""
    yield


AON = GradingPolicy(pass_mark_percent=Decimal(50))
PARTIAL = GradingPolicy(pass_mark_percent=Decimal(50), multiple_response=MultipleResponseScoring.PARTIAL)


def sba(qid="q1", correct="b", choices="abcde", marks=Decimal(1)):
    return QuestionKey(
        question_id=qid,
        kind=QuestionKind.SINGLE,
        choice_ids=frozenset(choices),
        correct_ids=frozenset(correct),
        marks=marks,
    )


def true_false(qid="tf", correct="true"):
    return QuestionKey(
        question_id=qid,
        kind=QuestionKind.TRUE_FALSE,
        choice_ids=frozenset({"true", "false"}),
        correct_ids=frozenset({correct}),
    )


def multiple(qid="m1", correct="ab", choices="abcd", marks=Decimal(1)):
    return QuestionKey(
        question_id=qid,
        kind=QuestionKind.MULTIPLE,
        choice_ids=frozenset(choices),
        correct_ids=frozenset(correct),
        marks=marks,
    )


def only(key, selected, policy=AON):
    """Grade a one-question attempt and return its question result."""
    responses = {} if selected is None else {key.question_id: list(selected)}
    result = grade(keys=[key], responses=responses, policy=policy)
    (question,) = result.questions
    return question


# --- single best answer and true/false ---------------------------------------------------


def test_single_best_answer_scores_full_marks_for_the_correct_choice_alone():
    q = only(sba(marks=Decimal(2)), "b")
    assert (q.marks_awarded, q.marks_available, q.fraction) == (Decimal(2), Decimal(2), Decimal(1))
    assert q.is_correct and q.answered
    assert q.selected_ids == {"b"}


def test_single_best_answer_scores_zero_for_a_wrong_choice():
    q = only(sba(), "c")
    assert q.marks_awarded == 0 and q.fraction == 0
    assert not q.is_correct and q.answered


@pytest.mark.parametrize("selected", ["bc", "ab", "abcde"])
def test_single_best_answer_with_several_picks_scores_zero_even_if_one_is_correct(selected):
    q = only(sba(), selected)
    assert q.marks_awarded == 0
    assert not q.is_correct and q.answered


@pytest.mark.parametrize("policy", [AON, PARTIAL])
def test_partial_credit_never_applies_to_single_best_answer_or_true_false(policy):
    assert only(sba(), "bc", policy).fraction == 0
    assert only(true_false(), ["true", "false"], policy).fraction == 0


def test_true_false_is_all_or_nothing():
    assert only(true_false(correct="false"), ["false"]).is_correct
    assert only(true_false(correct="false"), ["true"]).marks_awarded == 0
    assert only(true_false(correct="false"), ["true", "false"]).marks_awarded == 0


def test_a_missing_response_is_unanswered_and_scores_zero():
    q = only(sba(), None)
    assert not q.answered and not q.is_correct
    assert q.marks_awarded == 0 and q.marks_available == 1
    assert q.selected_ids == frozenset()


def test_an_empty_selection_is_unanswered():
    q = only(multiple(), "")
    assert not q.answered and q.marks_awarded == 0


# --- multiple response -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("selected", "full"),
    [("ab", True), ("ba", True), ("a", False), ("abc", False), ("abcd", False), ("c", False), ("", False)],
)
def test_multiple_response_all_or_nothing_needs_exactly_the_correct_set(selected, full):
    q = only(multiple(), selected, AON)
    assert q.fraction == (1 if full else 0)
    assert q.is_correct is full


def test_all_or_nothing_is_the_default_policy():
    assert (
        GradingPolicy(pass_mark_percent=Decimal(50)).multiple_response
        is MultipleResponseScoring.ALL_OR_NOTHING
    )


@pytest.mark.parametrize(
    ("selected", "fraction"),
    [
        ("ab", "1.0000"),  # the correct set
        ("a", "0.5000"),  # half the correct choices, no wrong pick
        ("abc", "0.5000"),  # all correct, one of two wrong: 1 - 1/2
        ("ac", "0.0000"),  # 1/2 - 1/2
        ("acd", "0.0000"),  # 1/2 - 2/2 is negative: floored at 0
        ("abcd", "0.0000"),  # everything: 1 - 1
        ("cd", "0.0000"),
        ("", "0.0000"),
    ],
)
def test_multiple_response_partial_credit_with_penalty(selected, fraction):
    q = only(multiple(), selected, PARTIAL)
    assert str(q.fraction) == fraction
    assert q.is_correct is (selected == "ab")


def test_partial_credit_rounds_thirds_to_four_places_and_multiplies_the_marks():
    key = multiple(correct="abc", choices="abcd", marks=Decimal(3))
    q = only(key, "ab", PARTIAL)
    assert q.fraction == Decimal("0.6667")
    assert q.marks_awarded == Decimal("2.0001")
    assert not q.is_correct


def test_partial_credit_rounds_half_up():
    # 1/32 = 0.03125: half-up gives 0.0313 where banker's rounding would give 0.0312.
    ids = [f"c{i:02}" for i in range(32)]
    key = multiple(correct=ids, choices=ids)
    assert only(key, ["c00"], PARTIAL).fraction == Decimal("0.0313")


def test_partial_credit_without_incorrect_choices_has_no_penalty_term():
    key = multiple(correct="abc", choices="abc")
    assert only(key, "a", PARTIAL).fraction == Decimal("0.3333")
    assert only(key, "abc", PARTIAL).fraction == 1


# --- input that does not belong to the key -----------------------------------------------


def test_a_forged_choice_id_earns_nothing_and_costs_nothing():
    q = only(sba(), ["b", "forged"])
    assert q.is_correct
    assert q.selected_ids == {"b"}

    q = only(multiple(), ["a", "x", "y", "z"], PARTIAL)
    assert q.fraction == Decimal("0.5")
    assert q.selected_ids == {"a"}


def test_a_correct_choice_id_of_another_question_is_foreign_here():
    keys = [sba("q1", correct="a", choices="ab"), multiple("q2", correct=["z"], choices=["y", "z"])]
    result = grade(keys=keys, responses={"q1": ["z"], "q2": ["a", "z"]}, policy=AON)
    q1, q2 = result.questions
    assert not q1.answered and q1.marks_awarded == 0
    assert q2.is_correct and q2.selected_ids == {"z"}


def test_only_forged_ids_counts_as_unanswered():
    q = only(sba(), ["forged"])
    assert not q.answered and q.marks_awarded == 0


def test_responses_to_unknown_questions_are_ignored():
    keys = [sba("q1"), sba("q2")]
    plain = grade(keys=keys, responses={"q1": ["b"]}, policy=AON)
    noisy = grade(keys=keys, responses={"q1": ["b"], "q3": ["b"], "other": ["a", "b"]}, policy=AON)
    assert noisy == plain
    assert [q.question_id for q in noisy.questions] == ["q1", "q2"]


def test_a_bare_string_response_is_refused_rather_than_read_letter_by_letter():
    with pytest.raises(TypeError, match="q1"):
        grade(keys=[sba("q1", correct="b")], responses={"q1": "b"}, policy=AON)


def test_duplicate_question_ids_in_the_key_are_refused():
    with pytest.raises(InvalidKey, match="twice"):
        grade(keys=[sba("q1"), sba("q1")], responses={}, policy=AON)


# --- totals, percent and pass mark -------------------------------------------------------


def test_questions_are_reported_in_key_order_with_totals():
    keys = [sba("z", marks=Decimal("0.5")), multiple("a", marks=Decimal("1.25")), true_false("m")]
    result = grade(keys=keys, responses={"z": ["b"], "a": ["a", "b"], "m": ["false"]}, policy=AON)
    assert [q.question_id for q in result.questions] == ["z", "a", "m"]
    assert result.marks_awarded == Decimal("1.75")
    assert result.marks_available == Decimal("2.75")
    assert result.percent == Decimal("63.64")  # 1.75 / 2.75 = 63.6363...


def test_decimal_marks_add_up_exactly():
    keys = [sba(f"q{i}", marks=Decimal("0.1")) for i in range(3)]
    result = grade(keys=keys, responses={f"q{i}": ["b"] for i in range(3)}, policy=AON)
    assert result.marks_awarded == result.marks_available == Decimal("0.3")
    assert result.percent == Decimal("100.00")


def test_an_empty_key_scores_zero_percent_and_does_not_pass_even_with_a_zero_pass_mark():
    result = grade(keys=[], responses={"q1": ["a"]}, policy=GradingPolicy(pass_mark_percent=Decimal(0)))
    assert result.questions == ()
    assert result.marks_awarded == result.marks_available == 0
    assert str(result.percent) == "0.00"
    assert result.passed is False


def ten_questions(correct_count):
    keys = [sba(f"q{i}") for i in range(10)]
    responses = {f"q{i}": ["b"] for i in range(correct_count)}
    return keys, responses


def test_a_score_exactly_on_the_pass_mark_passes():
    keys, responses = ten_questions(7)
    result = grade(keys=keys, responses=responses, policy=GradingPolicy(pass_mark_percent=Decimal(70)))
    assert str(result.percent) == "70.00"
    assert result.passed is True


def test_a_score_below_the_pass_mark_fails():
    keys, responses = ten_questions(6)
    result = grade(keys=keys, responses=responses, policy=GradingPolicy(pass_mark_percent=Decimal(70)))
    assert result.percent == Decimal(60)
    assert result.passed is False


def test_pass_mark_with_decimals_is_compared_to_the_rounded_percent():
    keys = [sba(f"q{i}") for i in range(3)]
    responses = {"q0": ["b"], "q1": ["b"]}  # 2/3 = 66.666...% shown as 66.67
    assert grade(
        keys=keys, responses=responses, policy=GradingPolicy(pass_mark_percent=Decimal("66.67"))
    ).passed
    assert not grade(
        keys=keys, responses=responses, policy=GradingPolicy(pass_mark_percent=Decimal("66.68"))
    ).passed


def test_the_displayed_percent_decides_the_pass():
    # 13999 / 20000 = 69.995 % is shown as 70.00 %, so it passes a 70 % pass mark: a learner
    # must never see "70.00 %" next to "failed".
    keys = [sba("q1", marks=Decimal(13999)), sba("q2", marks=Decimal(6001))]
    result = grade(keys=keys, responses={"q1": ["b"]}, policy=GradingPolicy(pass_mark_percent=Decimal(70)))
    assert str(result.percent) == "70.00"
    assert result.passed


def test_percent_rounds_half_up():
    # One of eight all-correct choices earns 0.125 of 4 marks: 3.125 %.
    eight = [f"c{i}" for i in range(8)]
    keys = [multiple("m", correct=eight, choices=eight), sba("s", marks=Decimal(3))]
    result = grade(keys=keys, responses={"m": ["c0"]}, policy=PARTIAL)
    assert result.marks_awarded == Decimal("0.125")
    assert str(result.percent) == "3.13"


def test_grading_does_not_depend_on_the_callers_decimal_context():
    keys = [
        multiple("m", correct="abc", choices="abcd", marks=Decimal("1.5")),
        sba("s", marks=Decimal("2.25")),
    ]
    responses = {"m": ["a", "b"], "s": ["b"]}
    expected = grade(keys=keys, responses=responses, policy=PARTIAL)
    with localcontext() as ctx:
        ctx.prec = 3
        ctx.rounding = ROUND_HALF_UP
        assert grade(keys=keys, responses=responses, policy=PARTIAL) == expected


# --- keys and policies -------------------------------------------------------------------


def test_keys_accept_plain_values_and_normalise_them():
    key = QuestionKey(question_id="q", kind="single", choice_ids=["a", "b"], correct_ids=("a",), marks=2)
    assert key.kind is QuestionKind.SINGLE
    assert key.choice_ids == frozenset({"a", "b"}) and isinstance(key.choice_ids, frozenset)
    assert key.correct_ids == frozenset({"a"})
    assert key.marks == Decimal(2) and isinstance(key.marks, Decimal)
    assert key == sba("q", correct="a", choices="ab", marks=Decimal(2))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"correct_ids": frozenset({"z"})}, "not among its choices"),
        ({"correct_ids": frozenset()}, "no correct choice"),
        ({"correct_ids": frozenset({"a", "b"})}, "exactly one correct"),
        ({"marks": Decimal(0)}, "greater than 0"),
        ({"marks": Decimal("-1")}, "greater than 0"),
        ({"marks": 0.5}, "Decimal"),
        ({"marks": True}, "Decimal"),
        ({"marks": Decimal("NaN")}, "finite"),
        ({"marks": "lots"}, "number"),
        ({"kind": "essay"}, "unknown kind"),
        ({"question_id": ""}, "non-empty"),
        ({"choice_ids": "abc"}, "collection"),
        ({"choice_ids": frozenset({"a", ""}), "correct_ids": frozenset({"a"})}, "non-empty string"),
    ],
)
def test_malformed_single_best_answer_keys_are_refused(kwargs, message):
    fields = {
        "question_id": "q1",
        "kind": QuestionKind.SINGLE,
        "choice_ids": frozenset("abc"),
        "correct_ids": frozenset("a"),
    } | kwargs
    with pytest.raises(InvalidKey, match=message):
        QuestionKey(**fields)


@pytest.mark.parametrize(
    ("choices", "correct", "message"),
    [
        ({"true", "false", "maybe"}, {"true"}, "exactly two choices"),
        ({"true"}, {"true"}, "exactly two choices"),
        ({"true", "false"}, {"true", "false"}, "exactly one correct"),
    ],
)
def test_malformed_true_false_keys_are_refused(choices, correct, message):
    with pytest.raises(InvalidKey, match=message):
        QuestionKey(question_id="tf", kind=QuestionKind.TRUE_FALSE, choice_ids=choices, correct_ids=correct)


def test_a_multiple_response_key_may_have_several_or_all_choices_correct():
    multiple(correct="abcd", choices="abcd")
    with pytest.raises(InvalidKey, match="no correct choice"):
        multiple(correct="", choices="abcd")


def test_invalid_key_is_a_value_error():
    assert issubclass(InvalidKey, ValueError)
    assert issubclass(InvalidPolicy, ValueError)


@pytest.mark.parametrize("mark", [Decimal("-0.01"), Decimal("100.01"), 50.0, Decimal("Infinity"), "half"])
def test_pass_marks_outside_0_to_100_are_refused(mark):
    with pytest.raises(InvalidPolicy):
        GradingPolicy(pass_mark_percent=mark)


def test_policy_accepts_plain_values():
    policy = GradingPolicy(pass_mark_percent="72.5", multiple_response="partial")
    assert policy == GradingPolicy(
        pass_mark_percent=Decimal("72.5"), multiple_response=MultipleResponseScoring.PARTIAL
    )
    with pytest.raises(InvalidPolicy, match="scoring"):
        GradingPolicy(pass_mark_percent=50, multiple_response="generous")


# --- stored form -------------------------------------------------------------------------


def test_result_round_trips_through_json():
    keys = [multiple("m", correct="abc", choices="abcd", marks=Decimal("1.5")), sba("s"), true_false("t")]
    result = grade(keys=keys, responses={"m": ["a", "d", "b"], "t": ["true"]}, policy=PARTIAL)
    stored = json.loads(json.dumps(result.as_dict()))
    assert stored["percent"] == str(result.percent)
    assert stored["questions"][0]["selected_ids"] == ["a", "b", "d"]
    assert GradeResult.from_dict(stored) == result


@pytest.mark.parametrize(
    "damage",
    [
        lambda d: d.pop("percent"),
        lambda d: d.update(schema=99),
        lambda d: d.update(percent="about half"),
        lambda d: d.update(percent=12.5),
        lambda d: d.update(passed="yes"),
        lambda d: d["questions"][0].update(selected_ids="ab"),
        lambda d: d["questions"][0].update(is_correct=1),
        lambda d: d.update(questions=["not a mapping"]),
    ],
)
def test_unreadable_stored_results_are_refused(damage):
    stored = grade(keys=[sba()], responses={"q1": ["b"]}, policy=AON).as_dict()
    damage(stored)
    with pytest.raises(ValueError):
        GradeResult.from_dict(stored)


# --- properties --------------------------------------------------------------------------

CHOICE_POOL = [f"c{i}" for i in range(8)]
marks_strategy = st.decimals(min_value=Decimal("0.01"), max_value=Decimal(100), places=2)
policy_strategy = st.builds(
    GradingPolicy,
    pass_mark_percent=st.decimals(min_value=0, max_value=100, places=2),
    multiple_response=st.sampled_from(MultipleResponseScoring),
)


@st.composite
def keys_strategy(draw, kinds=tuple(QuestionKind), question_id="q"):
    kind = draw(st.sampled_from(kinds))
    if kind is QuestionKind.TRUE_FALSE:
        choices = ["true", "false"]
        correct = [draw(st.sampled_from(choices))]
    else:
        choices = draw(st.lists(st.sampled_from(CHOICE_POOL), min_size=2, max_size=8, unique=True))
        if kind is QuestionKind.SINGLE:
            correct = [draw(st.sampled_from(choices))]
        else:
            correct = draw(st.lists(st.sampled_from(choices), min_size=1, unique=True))
    return QuestionKey(
        question_id=question_id,
        kind=kind,
        choice_ids=frozenset(choices),
        correct_ids=frozenset(correct),
        marks=draw(marks_strategy),
    )


@st.composite
def key_and_selection(draw, kinds=tuple(QuestionKind)):
    key = draw(keys_strategy(kinds=kinds))
    selection = draw(st.sets(st.sampled_from(sorted(key.choice_ids))))
    forged = draw(st.sets(st.sampled_from(["forged", "c99", "TRUE"]), max_size=2))
    return key, selection | forged


def score(key, selection, policy):
    return only(key, selection, policy)


@given(key_and_selection(), policy_strategy)
def test_score_is_always_between_zero_and_the_marks(case, policy):
    key, selection = case
    q = score(key, selection, policy)
    assert 0 <= q.marks_awarded <= key.marks
    assert 0 <= q.fraction <= 1
    assert q.marks_available == key.marks
    assert q.is_correct == (q.marks_awarded == key.marks)
    assert q.selected_ids <= key.choice_ids
    assert q.answered == bool(q.selected_ids)


@given(key_and_selection())
def test_all_or_nothing_scores_only_zero_or_full(case):
    key, selection = case
    q = score(key, selection, AON)
    assert q.fraction in (0, 1)
    assert q.is_correct == (selection & key.choice_ids == key.correct_ids)


@given(key_and_selection(kinds=(QuestionKind.SINGLE, QuestionKind.TRUE_FALSE)))
def test_single_answer_kinds_are_all_or_nothing_under_any_policy(case):
    key, selection = case
    assert score(key, selection, PARTIAL) == score(key, selection, AON)


@given(keys_strategy(kinds=(QuestionKind.MULTIPLE,)))
def test_partial_selecting_exactly_the_correct_set_scores_full(key):
    assert score(key, key.correct_ids, PARTIAL).fraction == 1


@given(keys_strategy(kinds=(QuestionKind.MULTIPLE,)))
def test_partial_selecting_every_choice_scores_zero_when_a_choice_is_wrong(key):
    assume(key.correct_ids != key.choice_ids)
    assert score(key, key.choice_ids, PARTIAL).fraction == 0


@given(keys_strategy(kinds=(QuestionKind.MULTIPLE,)))
def test_partial_selecting_nothing_scores_zero(key):
    assert score(key, set(), PARTIAL).marks_awarded == 0


@given(key_and_selection(), policy_strategy, st.data())
def test_adding_a_wrong_pick_never_increases_the_score(case, policy, data):
    key, selection = case
    wrong = sorted(key.choice_ids - key.correct_ids - selection)
    assume(wrong)
    extra = data.draw(st.sampled_from(wrong))
    assert (
        score(key, selection | {extra}, policy).marks_awarded <= score(key, selection, policy).marks_awarded
    )


@given(key_and_selection(), policy_strategy, st.data())
def test_adding_a_correct_pick_never_decreases_the_score(case, policy, data):
    key, selection = case
    missing = sorted(key.correct_ids - selection)
    assume(missing)
    extra = data.draw(st.sampled_from(missing))
    assert (
        score(key, selection | {extra}, policy).marks_awarded >= score(key, selection, policy).marks_awarded
    )


@st.composite
def attempts(draw):
    count = draw(st.integers(min_value=0, max_value=6))
    keys = [draw(keys_strategy(question_id=f"q{i}")) for i in range(count)]
    responses = {}
    for key in keys:
        if draw(st.booleans()):
            responses[key.question_id] = draw(st.lists(st.sampled_from([*sorted(key.choice_ids), "forged"])))
    return keys, responses


@given(attempts(), policy_strategy)
def test_totals_and_percent_follow_from_the_questions(case, policy):
    keys, responses = case
    result = grade(keys=keys, responses=responses, policy=policy)
    assert [q.question_id for q in result.questions] == [k.question_id for k in keys]
    assert result.marks_awarded == sum(q.marks_awarded for q in result.questions)
    assert result.marks_available == sum(k.marks for k in keys)
    if keys:
        with localcontext() as ctx:
            ctx.prec = 50
            expected = (100 * result.marks_awarded / result.marks_available).quantize(
                Decimal("0.01"), rounding=ROUND_HALF_UP
            )
        assert result.percent == expected
        assert result.passed == (result.percent >= policy.pass_mark_percent)
    else:
        assert result.percent == 0 and not result.passed
    assert result.percent.as_tuple().exponent == -2


@given(attempts(), policy_strategy, st.randoms(use_true_random=False))
def test_grading_does_not_depend_on_ordering(case, policy, rng):
    keys, responses = case
    result = grade(keys=keys, responses=responses, policy=policy)

    def shuffled(items):
        items = list(items)
        rng.shuffle(items)
        return items

    rebuilt_keys = [
        QuestionKey(
            question_id=k.question_id,
            kind=k.kind,
            choice_ids=shuffled(k.choice_ids),
            correct_ids=shuffled(k.correct_ids),
            marks=k.marks,
        )
        for k in keys
    ]
    # Selections reordered and repeated, the response mapping built in another order.
    reordered = {qid: shuffled(ids * 2) for qid, ids in shuffled(responses.items())}
    again = grade(keys=rebuilt_keys, responses=reordered, policy=policy)
    assert again == result

    permuted = shuffled(keys)
    by_question = {
        q.question_id: q for q in grade(keys=permuted, responses=responses, policy=policy).questions
    }
    assert [by_question[q.question_id] for q in result.questions] == list(result.questions)


@given(attempts(), policy_strategy)
def test_stored_form_round_trips(case, policy):
    keys, responses = case
    result = grade(keys=keys, responses=responses, policy=policy)
    assert GradeResult.from_dict(json.loads(json.dumps(result.as_dict()))) == result


@given(
    kind=st.sampled_from(QuestionKind),
    choices=st.sets(st.sampled_from(CHOICE_POOL), max_size=5),
    correct=st.sets(st.sampled_from([*CHOICE_POOL, "ghost"]), max_size=5),
    marks=st.decimals(min_value=-5, max_value=5, places=1),
)
def test_a_key_is_accepted_exactly_when_it_is_well_formed(kind, choices, correct, marks):
    well_formed = (
        bool(correct)
        and correct <= choices
        and (kind is QuestionKind.MULTIPLE or len(correct) == 1)
        and (kind is not QuestionKind.TRUE_FALSE or len(choices) == 2)
        and marks > 0
    )
    build = lambda: QuestionKey(  # noqa: E731
        question_id="q", kind=kind, choice_ids=choices, correct_ids=correct, marks=marks
    )
    if well_formed:
        assert build().correct_ids == correct
    else:
        with pytest.raises(InvalidKey):
            build()


def test_random_example_matches_the_rules_by_hand():
    # A sanity check that the property strategies are not vacuous: a 20-question attempt
    # with a fixed seed, scored by hand with the rules from the issue.
    rng = random.Random(7)
    keys, responses, expected = [], {}, Decimal(0)
    for i in range(20):
        choices = [f"c{j}" for j in range(5)]
        correct = set(rng.sample(choices, rng.randint(1, 3)))
        key = multiple(f"q{i}", correct=sorted(correct), choices=choices)
        picked = set(rng.sample(choices, rng.randint(0, 5)))
        keys.append(key)
        responses[key.question_id] = sorted(picked)
        incorrect = 5 - len(correct)
        raw = Decimal(len(picked & correct)) / len(correct) - Decimal(len(picked - correct)) / incorrect
        expected += max(Decimal(0), raw).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
    result = grade(keys=keys, responses=responses, policy=PARTIAL)
    assert result.marks_awarded == expected
    assert 0 < result.marks_awarded < 20
