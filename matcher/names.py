"""Name normalization: any script in, canonical Latin tokens out.

The pipeline is a fixed sequence of named steps (see ``STEPS`` and ``docs/matching.md``):

1. ``clean``       NFKC, control and format characters removed, white space folded.
2. ``invert``      ``SURNAME, Given`` becomes ``Given SURNAME``.
3. ``romanize``    each word to ASCII with ``anyascii``; Thai silent letters (thanthakhat) dropped first,
                   the Arabic article ``ال`` split off, Han/Hangul names split into surname + given name.
4. ``tokenize``    casefold; apostrophes vanish, other punctuation separates; ``a/l``-style links kept.
5. ``titles``      leading titles and honorifics dropped (Haji, Dato' Sri, Khun, Dr ...).
6. ``old_spelling`` pre-1972 Indonesian spelling folded (Soeharto -> suharto), only on marked tokens.
7. ``variants``    spelling variants folded (Mohd -> muhammad, Abd -> abdul).
8. ``compounds``   ``abdul`` joined to the name it governs (Abd al-Majid -> abdulmajid).
9. ``particles``   particles dropped (bin, binti, a/l, al, van, de ...), never the last token.

Every step is a pure function of the token list and the :class:`~matcher.reference.ReferenceData`.
Phonetic codes are computed afterwards, on ASCII tokens only (:func:`phonetic_code`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from anyascii import anyascii

from matcher.reference import ReferenceData

STEPS = (
    "clean",
    "invert",
    "romanize",
    "tokenize",
    "titles",
    "old_spelling",
    "variants",
    "compounds",
    "particles",
)

_THAI_SILENT = re.compile(r"[\u0e01-\u0e2e][\u0e31-\u0e3a\u0e47-\u0e4b]?\u0e4c")
_ARABIC_ARTICLE = re.compile(r"(?<![\u0600-\u06ff])\u0627\u0644(?=[\u0600-\u06ff]{2})")
_LINKS = re.compile(r"\b([asd])\s*/\s*([lpo])\b")
_NOT_LETTER = re.compile(r"[^a-z/]+")
_OLD_MARKERS = ("oe", "dj", "tj")


@dataclass(frozen=True, slots=True)
class Name:
    """A normalized name: canonical tokens in written order, and variants only an entry may expand to."""

    tokens: tuple[str, ...]
    glued: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        return " ".join(self.tokens)


def _is_syllabic(char: str) -> bool:
    code = ord(char)
    return 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0xAC00 <= code <= 0xD7A3


def clean(text: str) -> str:
    """NFKC, drop control/format/unassigned characters, fold white space."""
    text = unicodedata.normalize("NFKC", text)
    kept = []
    for char in text:
        category = unicodedata.category(char)
        if category in ("Cc", "Cf", "Cs", "Co", "Cn"):
            kept.append(" " if char in "\t\n\r\x0b\x0c" else "")
        elif category.startswith("Z"):
            kept.append(" ")
        else:
            kept.append(char)
    return " ".join("".join(kept).split())


def invert(text: str) -> str:
    """``SURNAME, Given`` -> ``Given SURNAME`` when there is exactly one comma with words on both sides."""
    if text.count(",") != 1:
        return text.replace(",", " ")
    surname, given = (part.strip() for part in text.split(","))
    if not surname or not given:
        return f"{surname} {given}".strip()
    return f"{given} {surname}"


def _romanize_word(word: str) -> str:
    """A Han or Hangul name is one surname syllable and a given name written as one word."""
    if len(word) >= 2 and all(_is_syllabic(char) for char in word):
        return anyascii(word[0]) + " " + "".join(anyascii(char) for char in word[1:])
    return anyascii(word)


def romanize(text: str) -> str:
    """Every word to ASCII. Thai silent letters and the Arabic article are handled before ``anyascii``;
    a Han or Hangul name written as one word is split into surname and given name."""
    text = _THAI_SILENT.sub("", text)
    text = _ARABIC_ARTICLE.sub("al ", text)
    if text.isascii():
        return text
    words = text.split()
    if len(words) == 1:
        return _romanize_word(words[0])
    return " ".join(anyascii(word) for word in words)


def tokenize(text: str) -> list[str]:
    """Casefold and split into letter tokens; ``a/l``, ``a/p``, ``s/o``, ``d/o`` stay single tokens."""
    text = text.casefold().replace("'", "").replace("`", "").replace("\u2019", "")
    text = _LINKS.sub(r" \1/\2 ", text)
    tokens: list[str] = []
    for token in _NOT_LETTER.sub(" ", text).split():
        if "/" in token and not re.fullmatch(r"[asd]/[lpo]", token):
            tokens.extend(part for part in token.split("/") if part)
        else:
            tokens.append(token)
    return tokens


def drop_titles(tokens: list[str], reference: ReferenceData) -> list[str]:
    """Drop leading titles (longest match first), keeping at least one token."""
    longest = max((len(title) for title in reference.titles), default=0)
    changed = True
    while changed:
        changed = False
        for size in range(min(longest, len(tokens) - 1), 0, -1):
            if tuple(tokens[:size]) in reference.titles:
                tokens = tokens[size:]
                changed = True
                break
    return tokens


def _old_spelling_pattern(reference: ReferenceData) -> re.Pattern[str]:
    keys = sorted(reference.old_spelling, key=len, reverse=True)
    return re.compile("|".join(re.escape(key) for key in keys)) if keys else re.compile(r"(?!)")


def fold_old_spelling(tokens: list[str], reference: ReferenceData) -> list[str]:
    """Pre-1972 Indonesian spelling to modern, in one pass, on tokens that carry an old-spelling marker."""
    pattern = _old_spelling_pattern(reference)
    folded = []
    for token in tokens:
        if any(marker in token for marker in _OLD_MARKERS):
            token = pattern.sub(lambda match: reference.old_spelling[match.group(0)], token)
        folded.append(token)
    return folded


def fold_variants(tokens: list[str], reference: ReferenceData) -> list[str]:
    """Replace known spelling variants by their canonical spelling."""
    return [reference.variants.get(token, token) for token in tokens]


_ASSIMILATED_ABDUL = re.compile(r"^abd[aeiou]?([tdrzsn])\1")


def join_compounds(tokens: list[str], reference: ReferenceData) -> list[str]:
    """Join ``abdul`` (+ an optional particle) to the next name: Abd al-Majid = Abdul Majid = abdulmajid;
    the sun-letter assimilation is undone (Abdurrahman = abdulrahman)."""
    tokens = [_ASSIMILATED_ABDUL.sub(lambda m: "abdul" + m.group(1), token) for token in tokens]
    joined: list[str] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token == "abdul":
            nxt = index + 1
            if nxt < len(tokens) - 1 and tokens[nxt] in reference.particles:
                nxt += 1
            if nxt < len(tokens) and tokens[nxt] not in reference.particles:
                joined.append("abdul" + tokens[nxt])
                index = nxt + 1
                continue
        joined.append(token)
        index += 1
    return joined


def drop_particles(tokens: list[str], reference: ReferenceData) -> tuple[list[str], list[str]]:
    """Drop particles, never all tokens. Also return the article-glued forms (al + X), which an entry
    may expand to."""
    kept = [token for token in tokens if token not in reference.particles]
    if not kept:
        return tokens, []
    glued = [
        "al" + tokens[i + 1]
        for i in range(len(tokens) - 1)
        if tokens[i] in ("al", "el") and tokens[i + 1] not in reference.particles
    ]
    return kept, glued


def normalize_name(text: str, reference: ReferenceData) -> Name:
    """Run the whole pipeline (``STEPS``) on one written name."""
    tokens = tokenize(romanize(invert(clean(text))))
    tokens = drop_titles(tokens, reference)
    tokens = fold_old_spelling(tokens, reference)
    tokens = fold_variants(tokens, reference)
    tokens = join_compounds(tokens, reference)
    tokens, glued = drop_particles(tokens, reference)
    return Name(tuple(tokens), tuple(glued))


# --- phonetic code -----------------------------------------------------------------------------------

_DIGRAPHS = (
    ("sch", "S"),
    ("sh", "S"),
    ("ts", "S"),
    ("tz", "S"),
    ("ch", "J"),
    ("zh", "J"),
    ("kh", "K"),
    ("gh", "K"),
    ("ph", "B"),
    ("th", "T"),
    ("dh", "T"),
    ("ck", "K"),
    ("ng", "N"),
    ("ny", "N"),
    ("sy", "S"),
)
_LETTERS = {
    "b": "B", "p": "B", "f": "F",
    "c": "K", "k": "K", "g": "K", "q": "K",
    "d": "T", "t": "T",
    "s": "S", "z": "S", "x": "S",
    "j": "J", "l": "L", "r": "R", "m": "M", "n": "N",
}  # fmt: skip
_VOWELS = frozenset("aeiouy")
_DIGRAPH_RE = re.compile("|".join(d for d, _ in _DIGRAPHS) + "|.")
_DIGRAPH_MAP = dict(_DIGRAPHS)


def phonetic_code(token: str, *, vowels: bool = False) -> str:
    """Consonant-class skeleton of one ASCII token, built to agree across romanizations.

    Vowels, h, w, v and non-initial y separate consonants but leave no mark (so Arabic-script
    ``mhmd`` and Latin ``muhammad`` agree); letters of one class written together count once
    (``hassan`` = ``hasan``); b/p/ph, c/k/g/q/kh, d/t/th, s/z/x/sh/sy and j/ch/zh/initial y share a
    class; an initial h is a class of its own (Hamid is not Ahmad). A token with no consonant
    keeps its letters (``_ai``).

    With ``vowels``, each vowel group before a consonant leaves an ``a``: a finer code
    (``hassan`` -> ``HaSaN``, ``husain`` -> ``HaSaN``, but ``hsn`` -> ``HSN``) for keys that must
    be rarer.
    """
    if not token.isascii():
        raise ValueError("phonetic codes are defined on ASCII tokens only")
    out: list[str] = []
    previous = ""
    vowel = False
    for index, match in enumerate(_DIGRAPH_RE.finditer(token)):
        piece = match.group(0)
        symbol = _DIGRAPH_MAP.get(piece) or _LETTERS.get(piece, "")
        if index == 0 and piece in ("y", "h"):
            symbol = "J" if piece == "y" else "H"
        if not symbol:
            previous = ""
            vowel = vowel or (vowels and piece in _VOWELS)
            continue
        if vowel:
            out.append("a")
            vowel = False
        if symbol != previous:
            out.append(symbol)
        previous = symbol
    return "".join(out) if out else "_" + token
