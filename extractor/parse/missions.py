"""Diplomatic missions from a notes cell: who has an embassy where, and who is accredited from where.

The notes of a bilateral table state missions in a few regular sentence shapes; this reader
knows them by their verbs and structure, never by exact strings:

- ``X has | maintains | operates | opened (a|an|its) <kind> in <place>`` and its negations
  (``does not have``, ``has no``), with ``and (a) <kind> in <place>`` and plural kinds over
  several places (``consulates in Z and W``);
- ``X is represented | accredited in | to Y by | through | from | via its <kind> in <place>``;
- ``X's <kind> in <place> is (also) accredited to Y``;
- a sentence joining statements (``…, and Kyrgyzstan opened an embassy in Tokyo``, ``; ``) is
  read clause by clause;
- ``Both | Each (of the two) countries have | has (resident) embassies …`` and ``Neither …``.

``X`` and ``Y`` must be the article's subject or the row's partner, known by name, link target
or ISO code (``its`` is the sentence's ``X``); a ``<place>`` is a city, optionally followed by
its country (``Moscow, Russia`` or ``Almaty (Kazakhstan)``). A mission's ``city`` is the link
target when the sentence links it. A sentence that mentions a mission in any other way is not
guessed at: it is counted (:attr:`NotesMissions.unread`) and stays in the notes.

The reader works on :class:`~extractor.parse.marks.Marked` text, so it is the same for both
parsers. Written by hand because no maintained library reads these sentences: an NLP parser
would not know which country "its" or "both countries" are, and the shapes are few.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from extractor.models import Mission, MissionKind
from extractor.parse.marks import Marked
from extractor.parse.sentences import MENTION, abbreviated, clauses, mentions, sentences
from extractor.parse.sides import Party, clean_name, country_code
from extractor.text import clean_spaces

__all__ = ["MENTION", "NotesMissions", "read_missions", "sentences"]


@dataclass
class NotesMissions:
    """What the reader found in one notes cell."""

    missions: list[Mission] = field(default_factory=list)
    #: Sentences read as missions.
    read: int = 0
    #: Sentences that mention a mission but were not understood (left to the notes).
    unread: list[str] = field(default_factory=list)


# Kinds, singular and plural, by the dataset's kind (the longest alternatives first).
_KINDS: tuple[tuple[str, MissionKind], ...] = (
    (r"honorary consul(?:ate)?s?(?:[- ]general)?", "honorary-consulate"),
    (r"consul(?:ate)?s?[- ]generals?|consulates?-generals?|consulates? generals?", "consulate-general"),
    (r"consulates?", "consulate"),
    (r"high[- ]commissions?", "high-commission"),
    (r"embass(?:y|ies)", "embassy"),
    (
        r"(?:trade|liaison|representative|commercial|economic(?: and cultural)?|cultural)"
        r"(?: and (?:trade|cultural|economic))? (?:office|representation|mission)s?",
        "office",
    ),
    (r"(?:permanent )?missions?", "mission"),
)
_KIND = "(?:" + "|".join(pattern for pattern, _ in _KINDS) + ")"
_KIND_OF = [(re.compile(f"^(?:{pattern})$", re.IGNORECASE), kind) for pattern, kind in _KINDS]
_PLURAL = re.compile(r"(?:ies|[^s]s|s[- ]generals?)$", re.IGNORECASE)
# Words between the article and the kind that do not change what it is.
_ADJECTIVE = r"(?:(?:resident|full|new|own|permanent|national|diplomatic|other|further|additional)\s+)*"
_DET = r"(?:an?|its|the|one|two|three|four|five|six|several|his|their|\d+)\s+"
# A leading "Since 1996," or "Currently," keeps the statement current; "In 1929," does not.
_NOW = r"(?:(?:Since|As of|Currently|Today|At present|Presently)\b[^,]{0,40},\s+)?"
_ACTOR = rf"{_NOW}(?P<x>[A-Z][^,;:]*?|[Tt]he [A-Z][^,;:]*?)"

_HAS = re.compile(
    rf"^{_ACTOR}\s+(?:(?P<neg>does not have|doesn't have|did not have|has not|has no|have no|maintains no"
    rf"|does not maintain)"
    rf"|(?:also\s+)?(?:has|have|maintains|operates|runs|hosts|opened|has opened)(?:\s+had)?)\s+(?:{_DET})?"
    rf"{_ADJECTIVE}(?P<rest>{_KIND}\b.*)$"
)
_REPRESENTED = re.compile(
    rf"^{_ACTOR}\s+is\s+(?:also\s+)?(?:represented|accredited)\s+(?:in|to)\s+(?P<y>[^,;]+?)\s*,?\s+"
    rf"(?P<how>by|through|from|via|with)\s+(?:{_DET})?{_ADJECTIVE}(?P<rest>{_KIND}\b.*)$"
)
_ACCREDITED = re.compile(
    rf"^(?:[Tt]he\s+)?(?P<x>[A-Z][^,;:]*?)(?:'s|’s|'|’)?\s+(?P<rest>{_KIND}\s+in\s+.+?)\s+is\s+(?:also\s+)?"
    rf"(?:accredited|responsible)\s+(?:to|for)\s+(?P<y>[^,;]+?)\.?$"
)
_BOTH = re.compile(
    rf"^(?:(?P<both>Both|Each of the two|Each|The two)\s+(?:countries|nations|states|sides)|(?P<neither>Neither)\s+"
    rf"(?:country|nation|state|side))\s+"
    rf"(?:(?P<neg>do not have|does not have|have no|has no)|has|have|maintain|maintains)"
    rf"\s+(?:{_DET})?{_ADJECTIVE}(?P<kind>{_KIND})\b(?P<tail>.*)$"
)
# One mission of a list: "<kind> in <places>", joined by "and", "as well as" or commas.
_FIRST_ITEM = re.compile(rf"(?:{_DET})?{_ADJECTIVE}(?P<kind>{_KIND})\s+in\s+", re.IGNORECASE)
_ITEM = re.compile(
    rf"(?:,?\s+(?:and|as well as)(?:\s+(?:through|by|via|from|has|maintains|operates|also has))?\s+|,\s+)"
    rf"(?:{_DET})?{_ADJECTIVE}"
    rf"(?P<kind>{_KIND})\s+in\s+",
    re.IGNORECASE,
)
# Where a place ends: a clause that says something else about it.
_PLACE_END = re.compile(
    r"\s+(?:since|from|which|that|who|where|while|but|until|as of|opened|established|headed|located|"
    r"in (?:\d|January|February|March|April|May|June|July|August|September|October|November|December))\b"
    r"|,\s+(?:which|where|while|but|since|and (?:is|was|also)|opened)\b|;|\s+\((?:since|opened|from|est)"
)
_NOT_A_PLACE = re.compile(r"(?:,?\s+(?:and|as well as)\s+|,\s+)(?=[a-z\d])")
_PARENTHESIS = re.compile(r"^(?P<city>.+?)\s*\((?P<country>[^()]+)\)$")
# The literal words the statement patterns cannot match without (they are case-sensitive).
_REPRESENTED_WORDS = ("represented", "accredited")
_ACCREDITED_WORDS = ("accredited", "responsible")


@lru_cache(maxsize=1024)  # a kind is one of a few words ("embassy", "consulates"), tried against 7 patterns
def _kind_of(word: str) -> MissionKind:
    word = clean_spaces(word)
    for pattern, kind in _KIND_OF:
        if pattern.match(word):
            return kind
    return "mission"  # unreachable: every kind alternative is listed


@lru_cache(maxsize=1024)  # the same few kind words, as for _kind_of
def _is_plural(word: str) -> bool:
    return _PLURAL.search(word) is not None


@dataclass
class _Sentence:
    """One sentence being read: its text and offset, the parties, the cell's links."""

    text: str
    offset: int
    marked: Marked
    subject: Party
    partner: Party

    def who(self, phrase: str) -> Party | None:
        name = clean_name(phrase)
        for party in (self.subject, self.partner):
            if party.names(name):
                return party
        return None

    def other(self, party: Party) -> Party:
        return self.partner if party is self.subject else self.subject

    def link_in(self, start: int, end: int) -> str | None:
        """The target of a link whose label is exactly ``text[start:end]`` of the sentence."""
        begin, stop = self.offset + start, self.offset + end
        for link in self.marked.links:
            if link.start == begin and link.end == stop:
                return link.target
        return None


@dataclass
class _Place:
    city: str | None
    country: str | None  # the country named after the city, as written
    country_party: Party | None


def _places(reading: _Sentence, start: int, end: int, plural: bool) -> list[_Place] | None:
    """The places of ``reading.text[start:end]``: a city with its country, or several cities."""
    text = reading.text
    # A place is names (capitalised): "and nine consulates", ", and others" end it.
    tail = _NOT_A_PLACE.search(text, start, end)
    if tail is not None:
        end = tail.start()
    # Trailing words and punctuation are no part of the place.
    while end > start and text[end - 1] in " .,;:" and not abbreviated(text[start:end]):
        end -= 1
    while start < end and text[start] == " ":
        start += 1
    if start >= end:
        return None
    phrase = text[start:end]
    if plural:
        parts: list[tuple[int, int]] = []
        cursor = start
        for separator in re.finditer(r",\s+and\s+|\s+and\s+|,\s+", phrase):
            parts.append((cursor, start + separator.start()))
            cursor = start + separator.end()
        parts.append((cursor, end))
        places = [_place(reading, s, e) for s, e in parts]
        if any(place is None for place in places):
            return None
        return [place for place in places if place is not None]
    one = _place(reading, start, end)
    return [one] if one is not None else None


def _place(reading: _Sentence, start: int, end: int) -> _Place | None:
    """One place: ``City``, ``City, Country``, ``City (Country)``, or a country alone."""
    text = reading.text
    phrase = text[start:end]
    if phrase.startswith(("the ", "The ")) and not reading.link_in(start, end):
        start, phrase = start + 4, phrase[4:]
    if not phrase or not phrase[0].isupper() or len(phrase) > 60:
        return None
    country: str | None = None
    city_end = end
    bracket = _PARENTHESIS.match(phrase)
    if bracket is not None:
        country, city_end = bracket.group("country"), start + bracket.end("city")
    else:
        comma = phrase.rfind(", ")
        if comma > 0 and country_code(clean_name(phrase[comma + 2 :])) is not None:
            country, city_end = phrase[comma + 2 :], start + comma
    city_text = clean_spaces(text[start:city_end])
    if not city_text or any(mark in city_text for mark in '()[]"“'):
        return None
    party = reading.who(country) if country is not None else None
    if country is None:
        alone = reading.who(city_text)
        if alone is not None or country_code(clean_name(city_text)) is not None:
            # A country named alone ("an embassy in Kyrgyzstan"): no city.
            return _Place(None, city_text, alone)
    city = reading.link_in(start, city_end) or city_text
    return _Place(city, clean_spaces(country) if country else None, party)


def _missions_of(
    reading: _Sentence,
    sender: Party,
    receiver: Party,
    rest_start: int,
    *,
    negated: bool,
    accredited: bool,
    rest_end: int | None = None,
) -> list[Mission] | None:
    """The missions listed from ``rest_start`` on ("embassy in A and consulates in B and C")."""
    text = reading.text
    rest_end = len(text) if rest_end is None else rest_end
    stop = _PLACE_END.search(text, rest_start, rest_end)
    limit = stop.start() if stop is not None else rest_end
    first = _FIRST_ITEM.match(text, rest_start, limit)
    if first is None:
        return None
    items = [first, *_ITEM.finditer(text, first.end(), limit)]
    missions: list[Mission] = []
    for index, item in enumerate(items):
        end = items[index + 1].start() if index + 1 < len(items) else limit
        kind_word = item.group("kind")
        places = _places(reading, item.end(), end, _is_plural(kind_word))
        if not places:
            return None
        for place in places:
            mission = _mission(reading, sender, receiver, _kind_of(kind_word), place, negated=negated)
            if mission is None:
                return None
            if accredited and mission.resident is None:
                # "accredited … from its embassy in C": the mission sits elsewhere.
                mission.resident = False
                mission.accredited_from_city = place.city
            missions.append(mission)
    return missions


def _mission(
    reading: _Sentence, sender: Party, receiver: Party, kind: MissionKind, place: _Place, *, negated: bool
) -> Mission | None:
    resident: bool | None
    from_city = from_country = None
    if place.country is None or negated:  # a mission that is not there sits nowhere
        resident = None
    elif place.country_party is receiver:
        resident = True
    elif place.country_party is sender:
        return None  # "X has an embassy in <X's own city>": not a mission to the receiver
    else:
        resident = False
        from_city, from_country = place.city, place.country
    # model_validate of a dict: cheaper than the keyword __init__ (a long article reads hundreds).
    return Mission.model_validate(
        {
            "sender": sender.name,
            "receiver": receiver.name,
            "kind": kind,
            "city": place.city,
            "resident": resident,
            "accredited_from_city": from_city,
            "accredited_from_country": from_country,
            "negated": negated,
            "sentence": reading.text,
        }
    )


def _read(reading: _Sentence) -> list[Mission] | None:
    text = reading.text.rstrip()
    if text.endswith(".") and not abbreviated(text):
        text = text[:-1]
    reading.text = text
    found = _BOTH.match(text)
    if found is not None:
        tail = found.group("tail").strip(" .")
        if tail and not re.fullmatch(
            r"in (?:each other's|each others'|each other’s|the other's|their respective) "
            r"(?:capitals?|countries)|in (?:both|the two|their) capitals",
            tail,
        ):
            return None
        negated = found.group("neither") is not None or found.group("neg") is not None
        kind = _kind_of(found.group("kind"))
        return [
            Mission(
                sender=a.name,
                receiver=b.name,
                kind=kind,
                resident=None if negated else True,
                negated=negated,
                sentence=text,
            )
            for a, b in ((reading.subject, reading.partner), (reading.partner, reading.subject))
        ]
    # The next two patterns backtrack over every way to cut the sentence: not tried without their verb.
    found = _REPRESENTED.match(text) if any(word in text for word in _REPRESENTED_WORDS) else None
    if found is not None:
        sender, receiver = reading.who(found.group("x")), reading.who(found.group("y"))
        if sender is None or receiver is None or sender is receiver:
            return None
        accredited = found.group("how") == "from"
        return _missions_of(reading, sender, receiver, found.start("rest"), negated=False, accredited=accredited)
    found = _ACCREDITED.match(text) if any(word in text for word in _ACCREDITED_WORDS) else None
    if found is not None:
        sender, receiver = reading.who(found.group("x")), reading.who(found.group("y"))
        if sender is None or receiver is None or sender is receiver:
            return None
        missions = _missions_of(
            reading, sender, receiver, found.start("rest"), negated=False, accredited=True, rest_end=found.end("rest")
        )
        if missions is None or len(missions) != 1:
            return None
        return missions
    found = _HAS.match(text)
    if found is not None:
        sender = reading.who(found.group("x"))
        if sender is None:
            return None
        receiver = reading.other(sender)
        negated = found.group("neg") is not None
        missions = _missions_of(reading, sender, receiver, found.start("rest"), negated=negated, accredited=False)
        if missions is None:
            return None
        for mission in missions:
            if mission.resident is None and not negated:
                # "X has an embassy in C", said in the row of the relation with Y: the mission is in Y.
                mission.resident = True
        return missions
    return None


def read_missions(marked: Marked, subject: Party, partner: Party, cites: Sequence[int | None]) -> NotesMissions:
    """The missions a notes cell states between ``subject`` and ``partner``, with their citations.

    ``cites`` are the reference numbers of the cell's citation marks, in order; a sentence's
    citations are those from its start to the next sentence's start (a footnote follows the full
    stop).

    >>> found = read_missions(Marked("Chile has an embassy in Lima."), Party("Peru", None, "PER"),
    ...                       Party("Chile", None, "CHL"), [])
    >>> [(m.sender, m.receiver, m.kind, m.city, m.resident) for m in found.missions]
    [('Chile', 'Peru', 'embassy', 'Lima', True)]
    """
    result = NotesMissions()
    text = marked.text
    spans = sentences(text)
    for index, (start, end) in enumerate(spans):
        raw = text[start:end]
        if not mentions(raw):
            continue
        missions: list[Mission] = []
        for clause_start, clause_end in clauses(raw):
            clause = raw[clause_start:clause_end]
            if clause_end - clause_start < len(raw) and not mentions(clause):  # the whole was asked
                continue
            stripped = clause.lstrip()
            offset = start + clause_start + len(clause) - len(stripped)
            reading = _Sentence(stripped.rstrip(), offset, marked, subject, partner)
            read = _read(reading) if subject.name else None
            if read:
                missions.extend(read)
                result.read += 1
            else:
                result.unread.append(clean_spaces(clause))
        if not missions:
            continue
        following = spans[index + 1][0] if index + 1 < len(spans) else len(text) + 1
        numbers: list[int] = []
        # The marks' offsets are in text order: the sentence's are a slice of them.
        first, last = bisect_left(marked.cites, start), bisect_left(marked.cites, following)
        for position in range(first, min(last, len(cites))):
            number = cites[position]
            if number is not None and number not in numbers:
                numbers.append(number)
        for mission in missions:
            # Set only when it changes: a model's __setattr__ costs more than the comparison.
            sentence = clean_spaces(mission.sentence)
            if sentence != mission.sentence:
                mission.sentence = sentence
            if numbers:  # else the mission's own empty list stays
                mission.citations = list(numbers)
        result.missions.extend(missions)
    return result
