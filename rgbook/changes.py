"""What a change of a registered claim is: :class:`Change`, an entry of a claim's log.

Kept apart from :mod:`rgbook.claims` and :mod:`rgbook.claim_log` so that the log (data, edited
often) is read only when the ledger is written, never by a chapter's kernel, and no module imports
another in a cycle.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["AMENDMENT_RULE_DATE", "Change"]

#: From this date on, a change after data is an amendment (a new claim id), never an in-place change.
AMENDMENT_RULE_DATE = "2026-12-06"


@dataclass(frozen=True)
class Change:
    """One entry of a claim's log: a change of its statement, tolerances, protocol or row roles.

    ``fingerprint`` is the claim's registration fingerprint after the change, as
    ``python -m rgbook audit`` prints it (it ties the entry to the change in git history);
    ``data_seen`` says whether the claim had been measured before; ``kind`` is
    ``"editorial"`` (the rendered statement, tolerances and protocol values are unchanged),
    ``"roles"`` (row roles relabelled; no verdict changes), ``"amendment"`` (the change lives
    on as the claim named in ``amendment``; the original keeps its registered statement) or
    ``"reverted"`` (a change undone: the claim is back at an earlier fingerprint) or
    ``"in-place"`` (changed in place after data before the amendment rule took effect on
    :data:`AMENDMENT_RULE_DATE`; disclosed, not amended; no later entry may use this kind).
    """

    date: str
    kind: str
    reason: str
    data_seen: bool = True
    fingerprint: str = ""
    amendment: str = ""

    KINDS = ("editorial", "roles", "amendment", "reverted", "in-place")

    def __post_init__(self) -> None:
        if self.kind not in self.KINDS:
            raise ValueError(f"Change.kind must be one of {self.KINDS}, got {self.kind!r}")
        if len(self.date) != 10 or self.date[4] != "-" or self.date[7] != "-":
            raise ValueError(f"Change.date must be YYYY-MM-DD, got {self.date!r}")
        if self.kind == "in-place" and self.date >= AMENDMENT_RULE_DATE:
            raise ValueError(
                f"a change after data on or after {AMENDMENT_RULE_DATE} is an amendment (a new claim id), "
                "never an in-place change"
            )
        if not self.reason.strip():
            raise ValueError("Change.reason must say why the claim changed")
        if self.kind == "amendment" and not self.amendment:
            raise ValueError("a Change of kind 'amendment' names the amending claim (amendment=...)")

    def to_json(self) -> dict:
        return {
            "date": self.date,
            "kind": self.kind,
            "reason": self.reason,
            "data_seen": self.data_seen,
            "fingerprint": self.fingerprint,
            "amendment": self.amendment,
        }
