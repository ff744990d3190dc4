"""Matching core: records, normalization, match keys, scoring and plain screening. Pure: no I/O."""

from matcher.config import KeyScheme, ScoringConfig
from matcher.dates import DateError, PartialDate, parse_birth_dates
from matcher.identifiers import CanonicalId, IdentifierError, canonical_identifier
from matcher.keys import KINDS, KeyDeriver, key_kind
from matcher.names import STEPS, Name, normalize_name, phonetic_code
from matcher.normalize import NormalizedRecord, Normalizer
from matcher.records import Customer, ListEntry, RecordFileError, RecordProblem, parse_records
from matcher.reference import ReferenceData
from matcher.scoring import Feature, Score, Scorer
from matcher.screen import Alert, Candidate, CandidateSource, KeyIndex, Screener, ScreenResult

__all__ = [
    "KINDS",
    "STEPS",
    "Alert",
    "Candidate",
    "CandidateSource",
    "CanonicalId",
    "Customer",
    "DateError",
    "Feature",
    "IdentifierError",
    "KeyDeriver",
    "KeyIndex",
    "KeyScheme",
    "ListEntry",
    "Name",
    "NormalizedRecord",
    "Normalizer",
    "PartialDate",
    "RecordFileError",
    "RecordProblem",
    "ReferenceData",
    "Score",
    "Scorer",
    "ScoringConfig",
    "ScreenResult",
    "Screener",
    "canonical_identifier",
    "key_kind",
    "normalize_name",
    "parse_birth_dates",
    "parse_records",
    "phonetic_code",
]
