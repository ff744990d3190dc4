"""Versioned, frozen configuration: the key scheme and the scoring weights.

Both travel (by id) with every package and every alert, so an old alert can be reproduced.
Changing a value means a new id.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class KeyScheme(_Frozen):
    """How match keys are derived (see ``matcher/keys.py``).

    Rarity is -log10 of a code's share among the world's common names, summed over the codes of a
    key: 6 means about one person in a million shares the codes. Each kind of key needs its own
    rarity, because a date makes a key rarer still: a pair keyed with no date must be rarer than a
    pair keyed with the birth year, which must be rarer than one keyed with the full date.
    """

    id: str = "v1"
    undated_min_rarity: float = Field(default=10.0, gt=0, description="codes keyed with no date (fine)")
    year_min_rarity: float = Field(default=5.6, gt=0, description="codes keyed with the birth year (fine)")
    coarse_year_min_rarity: float = Field(default=7.5, gt=0, description="codes keyed with the year (coarse)")
    dob_min_rarity: float = Field(default=2.0, ge=0, description="codes keyed with the full date (coarse)")
    single_dob_min_rarity: float = Field(default=3.0, ge=0, description="one code keyed with the full date")
    unknown_code_share: float = Field(default=1e-5, gt=0, lt=1)
    max_code_rarity: float = Field(default=5.0, gt=0)
    max_customer_keys: int = Field(default=12, ge=1)
    entry_year_slack: int = Field(default=1, ge=0, le=3)
    max_entry_names: int = Field(default=64, ge=1)


class ScoringConfig(_Frozen):
    """Weights of the explainable features (log10 likelihood-ratio units) and the band thresholds."""

    id: str = "s1"
    name_min_similarity: float = 0.80
    name_rarity_cap: float = 12.0
    name_disagree: float = -6.0
    name_token_conflict: float = -2.0
    initial_rarity: float = 0.8
    single_token_factor: float = 0.6
    dob_exact: float = 4.0
    dob_swapped: float = 2.5
    dob_month: float = 2.5
    dob_year: float = 1.5
    dob_year_near_same_day: float = 1.0
    dob_same_month_other_day: float = -0.5
    dob_same_year_other_month: float = -1.5
    dob_year_off_by_one: float = -1.0
    dob_conflict: float = -8.0
    gender_agree: float = 0.2
    gender_conflict: float = -2.0
    nationality_agree: float = 0.5
    nationality_conflict: float = -0.5
    identifier_agree: float = 8.0
    identifier_conflict: float = -2.0
    review_threshold: float = 5.0
    strong_threshold: float = 10.0
