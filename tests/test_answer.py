"""*The answer* (rgbook.answer) against the registry and the committed record (verdicts.json).

The book's build fails when a recorded outcome has no sentence (the ``answer-table`` directive);
these tests find the same drift without building: every claim id the answer names is registered,
and the committed verdicts of every question have a sentence.
"""

import json
from pathlib import Path

import pytest

from rgbook import answer, claims

ROOT = Path(__file__).resolve().parents[1]


def committed_verdicts() -> dict[str, str]:
    record = json.loads((ROOT / "verdicts.json").read_text())["claims"]
    return {cid: rec["verdict"] for cid, rec in record.items()}


def test_every_claim_id_is_registered():
    registered = set(claims.registry())
    missing = [cid for cid in answer.claim_ids() if cid not in registered]
    assert not missing, f"rgbook/answer.py names claims no chapter registers: {missing}"


@pytest.mark.parametrize("question", answer.questions(), ids=lambda q: q.key)
def test_committed_outcome_has_a_sentence(question):
    verdicts = committed_verdicts()
    if any(cid not in verdicts for cid in question.claims):
        pytest.skip(f"{question.key}: a claim is not in verdicts.json yet (the lead accepts it at merge)")
    assert answer.sentence_for(question, verdicts)


def test_missing_sentence_and_unknown_id_are_reported_by_name():
    q = answer.Question(key="T.a", label="(a) test", question="?", claims=("X.1",), sentences={(answer.F,): "no"})
    with pytest.raises(LookupError, match=r"T\.a .*X\.1: holds"):
        answer.sentence_for(q, {"X.1": answer.H})
    with pytest.raises(LookupError, match=r"names claim\(s\) \['X\.1'\]"):
        answer.sentence_for(q, {"X.1": answer.F}, registered={"Y"})
    assert answer.sentence_for(q, {"X.1": answer.F}) == "no"


def test_outcome_length_and_verdicts_are_checked():
    with pytest.raises(ValueError, match="outcome"):
        answer.Question(key="T.b", label="", question="", claims=("A", "B"), sentences={(answer.F,): "x"})
    with pytest.raises(ValueError, match="unknown verdict"):
        answer.Question(key="T.c", label="", question="", claims=("A",), sentences={("fine",): "x"})


def test_every_claim_has_one_line():
    for claim in claims.registry().values():
        line = answer.one_line(claim)
        assert line and "\n" not in line and len(line) <= 160, claim.id
