"""Naming analysis: split identifiers, tell an event's tense and a command's or query's mood.

Built on lemminflect's offline English data (lemmas and inflections of ~30k verbs, read through
``lexicon`` so a command-line run does not pay lemminflect's load time), not on
"ends in -ed": irregular forms (sent, paid, withdrawn), same-form verbs (reset, put, read) and
-ed words that are not verbs (feed, need, hundred) are all decided from the dictionary, and the
position of the verb in the name settles what the dictionary cannot (``PasswordReset`` is an
event, ``ResetPassword`` a command).

Everything here is a pure function of a string and memoised: lint calls it for thousands of
names per run.
"""
from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from designer.core import lexicon

# ---- splitting -----------------------------------------------------------------------------

def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Acronym before a capitalised word (HTTPRequest -> HTTP, Request), a capitalised or lower word,
# an acronym, a number. Everything else (., _, -, spaces, /, :) separates tokens.
_TOKEN = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")

# Top-level domains that mark a reverse-DNS prefix (com.acme.order.placed). A short list on
# purpose: a longer one would swallow real domain words ("order", "shop" are TLDs nowadays).
REVERSE_DNS_TLDS: frozenset[str] = frozenset(_words(
    "com org net io dev co de uk fr eu nl se ch at be dk no fi es it pl us ca au jp in app "
    "cloud ai gov edu info biz me"
))
# Particles of phrasal verbs that follow the verb (CheckedOut, LoggedIn, SignedUp, PaidOut).
PARTICLES: frozenset[str] = _words("out in up down off on over back away")
# Words ending in -ed (or otherwise past-looking in the dictionary) that are not past verbs in
# names: "feed" is also the past of the rare verb "fee", "need"/"seed"/"speed"/"embed" are base
# forms, "hundred"/"red"/"bed" are not verbs here.
NOT_PAST: frozenset[str] = frozenset(_words(
    "feed seed speed need embed hundred red bed shed breed deed greed weed steed creed reed "
    "bred"
))
# Words that open a complement after a past participle (PasswordResetByAdmin, ItemAddedToCart).
PREPOSITIONS: frozenset[str] = _words("by for to from in into on at with via after before per of out")
# Trailing words that name the kind of thing rather than the thing (OrderPlacedEvent).
KIND_SUFFIXES: dict[str, frozenset[str]] = {
    "event": frozenset({"event", "evt"}),
    "command": frozenset({"command", "cmd"}),
    "query": frozenset({"query", "qry", "request"}),
}
# Verbs also used as nouns that, in message names, are nearly always the action: with these the
# verb reading wins ("UpdateCustomer", "UserRegisters"). Other noun/verb words ("order",
# "place", "book", "detail") are read as nouns, so no rename is offered for "PaymentOrder".
ACTION_VERBS: frozenset[str] = frozenset(_words(
    "update change register request ship charge refund return release start fail reserve "
    "schedule import export upload upsert sync dedupe reindex approve reject cancel create "
    "delete remove add send submit pay complete publish notify assign archive restore close "
    "open process confirm verify validate expire renew revoke grant deny lock unlock suspend "
    "resume activate deactivate enable disable reset rename move copy merge split transfer "
    "withdraw deposit capture authorize authorise settle invoice bill dispatch deliver pick "
    "pack accept decline finish begin end stop pause retry sign log check calculate recalculate "
    "generate issue redeem apply attach detach link unlink subscribe unsubscribe invite join "
    "leave block unblock flag unflag tag untag hide show mark unmark clear set put cut read "
    "broadcast build sell buy hold write print scan load save store fetch get find list "
    "search lookup count query retrieve view browse resolve quote preview estimate place "
    # Verbs of API and operations vocabularies that are also nouns (a clone, a test, a purchase):
    # first in a command they are the action, as in CloneReceiptRuleSet or PurchaseReservedOffering.
    "clone test purchase associate disassociate checkpoint encrypt decrypt reboot restart redrive "
    "resync rollback deregister deauthorize label unlabel render provision deprovision reconcile "
    "replay rerun rotate promote demote snapshot backup migrate scale invoke execute trigger share "
    "unshare tag untag describe modify batch request reply forward escalate refresh recompute "
    "rebuild reissue redeliver resend reprocess revert undo archive unarchive pin unpin star react "
    "mute unmute kick post upload download "
    # Verbs of saying and messaging (a say, an echo, an ask are rare nouns): first in a message
    # name they ask for the act, as in SayHello, EchoText or AskQuestion.
    "say tell ask speak talk greet echo answer notify announce"
))
# Verbs a query may start with: they ask for data and change nothing.
RETRIEVAL_VERBS: frozenset[str] = frozenset(_words(
    "get fetch find list search lookup look count query retrieve read load view browse "
    "resolve describe show check calculate estimate quote preview compute lookup select "
    "download export inspect evaluate match suggest explain summarize summarise"
))
# Words a query may start with to ask a yes/no question (IsEmailTaken, HasAccess, CanCheckout).
QUESTION_WORDS: frozenset[str] = _words("is has have can does do should was were exists")


@dataclass(frozen=True)
class Token:
    """One word of an identifier with its span in the original string."""

    text: str
    start: int
    end: int

    @property
    def lower(self) -> str:
        """The token in lower case."""
        return self.text.lower()


@dataclass(frozen=True)
class ParsedName:
    """An identifier split into the words that carry its meaning.

    ``prefix`` holds a dropped reverse-DNS prefix (``com.acme``), ``version`` a dropped version
    suffix (``v2``), ``particle`` a dropped trailing particle (``Out`` of ``CheckedOut``), and
    ``core`` the remaining words.
    """

    original: str
    tokens: tuple[Token, ...]
    core: tuple[Token, ...]
    prefix: str = ""
    version: str = ""
    particle: Token | None = None
    kind_suffix: tuple[Token, ...] = field(default=())

    @property
    def words(self) -> tuple[str, ...]:
        """The core words in lower case."""
        return tuple(t.lower for t in self.core)


def split_identifier(name: str) -> list[str]:
    """Split any casing (Pascal, camel, snake, kebab, dotted, UPPER, digits) into words.

    >>> split_identifier("HTTPRequestSent_v2")
    ['HTTP', 'Request', 'Sent', 'v', '2']
    """
    return [m.group(0) for m in _TOKEN.finditer(name)]


@lru_cache(maxsize=65536)
def normalise(name: str) -> str:
    """A casing-blind key: ``OrderPlaced``, ``order_placed`` and ``ORDER-PLACED`` are equal."""
    return "_".join(w.lower() for w in split_identifier(name))


@lru_cache(maxsize=65536)
def parse_name(name: str, kind: str = "") -> ParsedName:
    """Split ``name`` and drop what does not carry meaning: prefix, version, kind suffix.

    ``kind`` (event, command, query) selects which trailing kind word to drop
    (``OrderPlacedEvent``, ``PlaceOrderCommand``, ``GetCustomerQuery``).
    """
    tokens = tuple(Token(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(name))
    core = list(tokens)
    prefix = ""
    segments = name.split(".")
    if len(segments) >= 3 and segments[0].lower() in REVERSE_DNS_TLDS:
        cut = len(segments[0]) + 1 + len(segments[1])
        prefix = name[:cut]
        core = [t for t in core if t.start > cut]
    version = ""
    if len(core) >= 2 and core[-1].text.isdigit() and core[-2].lower == "v":
        version = name[core[-2].start:core[-1].end]
        core = core[:-2]
    kind_suffix: tuple[Token, ...] = ()
    suffixes = KIND_SUFFIXES.get(kind, frozenset())
    if len(core) >= 2 and core[-1].lower in suffixes:
        kind_suffix = (core[-1],)
        core = core[:-1]
    particle = None
    if len(core) >= 2 and core[-1].lower in PARTICLES and word_info(core[-2].lower).is_verb:
        particle = core[-1]
        core = core[:-1]
    return ParsedName(name, tokens, tuple(core), prefix, version, particle, kind_suffix)


# ---- words -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class WordInfo:
    """What the dictionary says about one lower-case word."""

    word: str
    lemmas: tuple[str, ...]  # verb lemmas
    tags: frozenset[str]  # Penn tags the word is a verb form of: VB, VBD, VBN, VBG, VBZ
    noun: bool  # has a noun reading

    @property
    def is_verb(self) -> bool:
        """The word is some form of a verb."""
        return bool(self.tags)

    @property
    def is_past(self) -> bool:
        """Past tense or past participle (sent, paid, withdrawn, reset)."""
        return bool(self.tags & {"VBD", "VBN"})

    @property
    def is_base(self) -> bool:
        """Base form (send, pay, reset)."""
        return "VB" in self.tags or "VBP" in self.tags

    @property
    def same_form(self) -> bool:
        """Base and past spelled alike (reset, set, put, cut, read, split, broadcast)."""
        return self.is_past and self.is_base

    @property
    def verb_first(self) -> bool:
        """Read as a verb rather than a noun when both are possible (see ACTION_VERBS)."""
        return self.is_verb and (not self.noun or any(lemma in ACTION_VERBS for lemma in self.lemmas))


@lru_cache(maxsize=65536)
def word_info(word: str) -> WordInfo:
    """Look ``word`` (lower case) up in lemminflect: its verb lemmas, verb tags, noun reading."""
    word = word.lower()
    if not word.isalpha():
        return WordInfo(word, (), frozenset(), False)
    oov = not lexicon.known(word)
    noun = lexicon.is_noun(word)
    lemmas: tuple[str, ...] = lexicon.verb_lemmas(word)
    tags: set[str] = set()
    if oov:
        # Unknown word (upserted, geocoded): accept only inflected forms that round-trip
        # through lemminflect's rules; an unknown bare word is taken for a noun, not a verb,
        # unless it is one of our action verbs (sync, upsert).
        lemmas = lexicon.oov_verb_lemmas(word)
    for lemma in lemmas:
        inflections = lexicon.verb_forms(lemma)
        if not inflections and oov:
            inflections = {tag: lexicon.oov_verb_forms(lemma).get(tag, ())
                           for tag in ("VBD", "VBN", "VBG", "VBZ")}
        for tag, forms in inflections.items():
            if word in forms:
                tags.add(tag)
        if word == lemma and (not oov or lemma in ACTION_VERBS):
            tags.add("VB")
    if oov:
        lemmas = tuple(lemma for lemma in lemmas if tags)
    if word in NOT_PAST:
        tags -= {"VBD", "VBN"}
        lemmas = tuple(lemma for lemma in lemmas if lemma == word)
    if not tags:
        # unassigned, deregister, resync: a prefix on a known verb (the dictionary may know the
        # word only as an adjective, "unassigned", or not at all).
        derived = _prefixed(word)
        if derived is not None:
            return WordInfo(word, derived.lemmas, derived.tags, noun)
        if word in ACTION_VERBS:  # checkpoint, snapshot: nouns the dictionary has no verb for
            return WordInfo(word, (word,), frozenset({"VB"}), noun)
    return WordInfo(word, lemmas if tags else (), frozenset(tags), noun)


# Prefixes that make a verb from a verb (unassign, deregister, resync, preauthorize): a word
# outside the dictionary made of one of these and a known verb form is read as that form.
_VERB_PREFIXES: tuple[str, ...] = ("un", "de", "re", "dis", "mis", "pre", "co", "over", "under", "auto")


def _prefixed(word: str) -> WordInfo | None:
    for prefix in _VERB_PREFIXES:
        stem = word[len(prefix):]
        if word.startswith(prefix) and len(stem) >= 3 and lexicon.known(stem):
            info = word_info(stem)
            if info.is_verb:
                lemmas = tuple(prefix + lemma for lemma in info.lemmas)
                return WordInfo(word, lemmas, info.tags, False)
    return None


def past_participle(lemma: str) -> str | None:
    """The past participle used in event names (sent, paid, withdrawn, cancelled)."""
    forms = lexicon.inflection(lemma, "VBN") or lexicon.inflection(lemma, "VBD")
    if not forms:
        return None
    # Both spellings are fine (cancelled/canceled); pick the doubled one, deterministically.
    plain = [f for f in forms if f.isalpha()] or list(forms)
    return str(min(plain, key=lambda f: (-len(f), f)))


# Nominalisation suffixes and how to rebuild the verb from the stem; candidates are kept only
# when lemminflect knows them as a verb, so this never invents a word.
_NOMINAL_SUFFIXES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ization", ("ize",)), ("isation", ("ise",)),
    ("ication", ("y",)),
    ("ation", ("", "e", "ate", "-1", "er")),
    ("ition", ("",)),
    ("ssion", ("t", "ss")),
    ("sion", ("d", "de", "t", "se")),
    ("tion", ("te", "t")),
    ("ion", ("", "e")),
    ("ment", ("",)),
    ("al", ("", "e")),
    ("ance", ("", "e")),
    ("ence", ("", "e")),
    ("ure", ("", "e")),
)


@lru_cache(maxsize=16384)
def verb_of_nominalisation(word: str) -> str | None:
    """The verb a noun was made from (creation -> create, payment -> pay), if exactly one."""
    word = word.lower()
    found: set[str] = set()
    for suffix, endings in _NOMINAL_SUFFIXES:
        if not word.endswith(suffix) or len(word) <= len(suffix) + 1:
            continue
        stem = word[: -len(suffix)]
        for ending in endings:
            if ending == "-1":
                if len(stem) > 2 and stem[-1] == stem[-2]:
                    candidate = stem[:-1]  # cancellation -> cancel
                else:
                    continue
            elif ending == "er":
                if not stem.endswith("r"):
                    continue
                candidate = stem[:-1] + "er"  # registration -> register
            else:
                candidate = stem + ending
            if candidate in lexicon.verb_lemmas(candidate):
                found.add(candidate)
        if found:
            break
    return found.pop() if len(found) == 1 else None


def _compound_with_particle(word: str) -> tuple[str, str] | None:
    """checkout -> (check, out), signup -> (sign, up): a verb glued to its particle."""
    for particle in PARTICLES:
        if word.endswith(particle) and len(word) > len(particle) + 1:
            head = word[: -len(particle)]
            if word_info(head).is_base:
                return head, particle
    return None


# ---- rendering suggestions ------------------------------------------------------------------

def _match_case(template: str, word: str) -> str:
    if template.isupper() and len(template) > 1:
        return word.upper()
    if template[:1].isupper():
        return word[:1].upper() + word[1:]
    return word.lower()


def _replace(parsed: ParsedName, index: int, word: str) -> str:
    tok = parsed.core[index]
    name = parsed.original
    return name[: tok.start] + _match_case(tok.text, word) + name[tok.end:]


def _reorder(parsed: ParsedName, words: list[str]) -> str:
    """Render ``words`` in the casing of the original core, keeping prefix and suffixes."""
    core = parsed.core
    if not core:
        return parsed.original
    start, end = core[0].start, core[-1].end
    seps = {parsed.original[a.end:b.start] for a, b in itertools.pairwise(core)}
    sep = seps.pop() if len(seps) == 1 else ""
    first_upper = core[0].text[:1].isupper()
    all_upper = all(t.text.isupper() for t in core) and any(len(t.text) > 1 for t in core)
    rendered: list[str] = []
    for i, w in enumerate(words):
        if all_upper:
            rendered.append(w.upper())
        elif sep == "" and (i > 0 or first_upper):
            rendered.append(w[:1].upper() + w[1:])
        elif sep == "" or not first_upper:
            rendered.append(w.lower())
        else:
            rendered.append(w[:1].upper() + w[1:])
    return parsed.original[:start] + sep.join(rendered) + parsed.original[end:]


# ---- verdicts ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class TenseVerdict:
    """Whether a name reads right for its kind; why not; a rename when unambiguous."""

    ok: bool
    reason: str = ""
    suggestion: str | None = None
    head: str = ""  # the head verb (or word) the verdict is about
    shape: str = ""  # past | base | gerund | present | nominal | imperative | none | ...


@lru_cache(maxsize=65536)
def event_tense(name: str) -> TenseVerdict:
    """Is ``name`` an event name whose head verb is a past form?

    The head is the last past-form word (ItemAddedToCart -> Added); a same-form verb (reset)
    counts as past only after its object (PasswordReset), not first (ResetPassword).
    """
    parsed = parse_name(name, "event")
    words = parsed.words
    if not words:
        return TenseVerdict(False, f"{name!r} has no words", shape="none")
    infos = [word_info(w) for w in words]
    for i in range(len(words) - 1, -1, -1):
        info = infos[i]
        if not info.is_past:
            continue
        if info.same_form and (i == 0 and len(words) > 1 or (
                i < len(words) - 1 and words[i + 1] not in PREPOSITIONS)):
            # reset, output, read: past only after the object (PasswordReset, ResetByAdmin);
            # before another word it is the noun or the order (JobOutputProgress, ResetPassword).
            continue
        return TenseVerdict(True, head=parsed.core[i].text, shape="past")
    shape = command_shape(name)
    if shape is not None:
        return TenseVerdict(
            False,
            f"{name!r} reads as an order ({parsed.core[0].text} ...), not a fact that happened",
            suggestion=shape, head=parsed.core[0].text, shape="imperative",
        )
    last_i = len(words) - 1
    last, info = words[last_i], infos[last_i]
    head = parsed.core[last_i].text
    if "VBG" in info.tags and info.lemmas:
        past = past_participle(info.lemmas[0])
        return TenseVerdict(False, f"{head!r} is a gerund (an ongoing activity), not a past event",
                            _suggest(parsed, last_i, past), head, "gerund")
    if "VBZ" in info.tags and info.lemmas and info.verb_first:
        past = past_participle(info.lemmas[0])
        return TenseVerdict(False, f"{head!r} is present tense; events record what already happened",
                            _suggest(parsed, last_i, past), head, "present")
    if info.is_base and info.verb_first:
        past = past_participle(info.lemmas[0]) if info.lemmas else None
        return TenseVerdict(False, f"{head!r} is a base verb; an event needs its past form",
                            _suggest(parsed, last_i, past), head, "base")
    compound = _compound_with_particle(last)
    if compound is not None:
        past = past_participle(compound[0])
        suggestion = None
        if past is not None:
            tok = parsed.core[last_i]
            suggestion = name[: tok.start] + _glue(head, past, compound[1], name) + name[tok.end:]
        return TenseVerdict(False, f"{head!r} is a noun made of a verb and a particle; use its past form",
                            suggestion, head, "nominal")
    verb = verb_of_nominalisation(last)
    if verb is not None:
        past = past_participle(verb)
        # A lone noun (Payment) has no subject to attach the participle to: no rename.
        return TenseVerdict(False, f"{head!r} is a noun made from the verb {verb!r}; say it happened",
                            _suggest(parsed, last_i, past) if last_i > 0 else None, head, "nominal")
    return TenseVerdict(False, f"{name!r} has no past-tense verb saying what happened", None, head, "none")


def _glue(template: str, verb: str, particle: str, name: str) -> str:
    """checkout -> CheckedOut / checked_out / checked-out / checkedOut, following the name."""
    if template[:1].isupper():
        return _match_case(template, verb) + particle.capitalize()
    for sep in ("_", "-", "."):
        if sep in name:
            return verb + sep + particle
    return verb + particle.capitalize()


def _suggest(parsed: ParsedName, index: int, word: str | None) -> str | None:
    return None if word is None else _replace(parsed, index, word)


@lru_cache(maxsize=65536)
def command_shape(name: str) -> str | None:
    """If ``name`` starts with an imperative verb followed by an object (SendEmail), the event
    form object + participle (EmailSent); else None."""
    parsed = parse_name(name, "event")
    words = parsed.words
    if len(words) < 2:
        return None
    first = word_info(words[0])
    if not (first.is_base and first.verb_first):
        return None
    if any(word_info(w).is_past and not word_info(w).same_form for w in words[1:]):
        return None  # OrderPlaced, ShipmentDispatched: a later past verb is the head
    if first.same_form and len(words) > 1 and word_info(words[-1]).same_form:
        return None
    if first.noun and any(word_info(w).verb_first for w in words[1:]):
        return None  # OrderCancel: "Order" is the subject here, not an imperative
    past = past_participle(first.lemmas[0]) if first.lemmas else None
    if past is None:
        return None
    return _reorder(parsed, list(words[1:]) + [past])


# Words that qualify the verb after them in a command or query (BatchGetItem, BulkArchive,
# ForceDelete): the verb is the next word.
QUALIFIERS: frozenset[str] = _words("batch bulk mass force")

# A wire name written ``entity.action`` (order.create, admin.users.invite, orders/get): the last
# segment is the action; the segments before it name the entity it acts on.
_SEGMENTS = re.compile(r"[./]")


def _action_segment(name: str, kind: str) -> tuple[str, str, str] | None:
    """(entity path with its separator, action, version tail) of an ``entity.action`` wire name."""
    parsed = parse_name(name, kind)
    core = name[len(parsed.prefix) + 1:] if parsed.prefix else name
    tail = ""
    if parsed.version:
        cut = core.rfind(parsed.version)
        core, tail = core[:cut].rstrip("._-/"), core[cut:]
    parts = _SEGMENTS.split(core)
    if len(parts) < 2 or not all(parts):
        return None
    start = name.rfind(parts[-1], 0, len(name) - len(tail)) if tail else name.rfind(parts[-1])
    end = start + len(parts[-1])
    return name[:start], parts[-1], name[end:]


def _wire(name: str, kind: str, judge: Callable[[str], TenseVerdict],
          judge_action: Callable[[str], TenseVerdict]) -> TenseVerdict:
    """Judge a command or query name; an ``entity.action`` wire name passes on either reading."""
    split = _action_segment(name, kind)
    whole = judge(name)
    if split is None or whole.ok:  # search.messages: the verb may also open the wire name
        return whole
    return _in_segment(judge_action(split[1]), split[0], split[2])


def _in_segment(verdict: TenseVerdict, entity: str, tail: str) -> TenseVerdict:
    """A verdict on the action segment, as a verdict on the whole wire name."""
    if verdict.suggestion is None:
        return verdict
    return TenseVerdict(verdict.ok, verdict.reason, entity + verdict.suggestion + tail, verdict.head,
                        verdict.shape)


@lru_cache(maxsize=65536)
def command_mood(name: str) -> TenseVerdict:
    """Does ``name`` start with a base-form verb, as a command should (PlaceOrder)?

    A wire name ``entity.action`` (``order.create``, ``admin.users.invite``) is judged by its
    action segment: the entity comes first there by convention, the verb is still imperative.
    """
    return _wire(name, "command", _command_mood, command_mood)


def _command_mood(name: str) -> TenseVerdict:
    parsed = parse_name(name, "command")
    words = parsed.words
    if not words:
        return TenseVerdict(False, f"{name!r} has no words", shape="none")
    if len(words) > 1 and words[0] in QUALIFIERS:
        start = parsed.core[1].start
        return _in_segment(_command_mood(name[start:]), name[:start], "")
    infos = [word_info(w) for w in words]
    first = infos[0]
    head = parsed.core[0].text
    last = infos[-1]
    leads = first.is_base and first.verb_first
    for i in range(len(words) - 1, -1, -1):
        info = infos[i]
        if info.is_past and not info.is_base and info.lemmas and not (i > 0 and leads):
            rest = [w for j, w in enumerate(words) if j != i]
            return TenseVerdict(False, f"{parsed.core[i].text!r} is past tense: {name!r} reads as an event",
                                _reorder(parsed, [info.lemmas[0], *rest]), parsed.core[i].text, "past")
    if len(words) > 1 and last.is_base and last.verb_first and not leads:
        return TenseVerdict(False, f"the verb {parsed.core[-1].text!r} comes last; a command starts with it",
                            _reorder(parsed, [words[-1], *words[:-1]]), parsed.core[-1].text, "verb-last")
    if first.is_base or _compound_with_particle(words[0]) is not None:
        return TenseVerdict(True, head=head, shape="base")  # OrderPizza, CheckoutCart
    if "VBG" in first.tags or "VBZ" in first.tags:
        base = first.lemmas[0] if first.lemmas else None
        return TenseVerdict(False, f"{head!r} is not the base form of a verb",
                            _suggest(parsed, 0, base), head, "inflected")
    return TenseVerdict(False, f"{name!r} does not start with a verb saying what to do", None, head, "none")


@lru_cache(maxsize=65536)
def query_verb(name: str) -> TenseVerdict:
    """Does ``name`` ask for data (GetCustomer, ListOrders, IsEmailTaken) without changing any?

    A wire name ``entity.action`` (``order.get``, ``admin.apps.approved.list``) is judged by its
    action segment.
    """
    return _wire(name, "query", _query_verb, query_verb)


def _query_verb(name: str) -> TenseVerdict:
    parsed = parse_name(name, "query")
    words = parsed.words
    if not words:
        return TenseVerdict(False, f"{name!r} has no words", shape="none")
    if len(words) > 1 and words[0] in QUALIFIERS:
        start = parsed.core[1].start
        return _in_segment(_query_verb(name[start:]), name[:start], "")
    first = words[0]
    head = parsed.core[0].text
    info = word_info(first)
    if first in RETRIEVAL_VERBS or first in QUESTION_WORDS or any(
        lemma in RETRIEVAL_VERBS for lemma in info.lemmas if info.is_base
    ):
        return TenseVerdict(True, head=head, shape="retrieval")
    for i, w in enumerate(words):
        wi = word_info(w)
        if wi.is_past and not wi.same_form:
            lemma = wi.lemmas[0] if wi.lemmas else ""
            rest = [x for j, x in enumerate(words) if j != i]
            fix = _reorder(parsed, [lemma, *rest]) if lemma in RETRIEVAL_VERBS else None
            return TenseVerdict(False, f"{parsed.core[i].text!r} is past tense: {name!r} reads as an event",
                                fix, parsed.core[i].text, "past")
    if info.is_base and info.verb_first:
        return TenseVerdict(False, f"{head!r} is not a retrieval verb; a query must not change state "
                            "(make it a command, or name it Get/Fetch/Find/List/Search...)",
                            None, head, "mutating")
    if not any(word_info(w).verb_first for w in words):
        return TenseVerdict(False, f"{name!r} does not say it asks for data",
                            _reorder(parsed, ["get", *words]), head, "none")
    return TenseVerdict(False, f"{name!r} does not start with a retrieval verb (Get, Fetch, Find, List, "
                        "Search, Lookup, Count...)", None, head, "none")


# ---- casing ----------------------------------------------------------------------------------

CASING_STYLES: tuple[str, ...] = (
    "PascalCase", "camelCase", "snake_case", "SCREAMING_SNAKE_CASE", "kebab-case", "dot.case",
)


@lru_cache(maxsize=131072)
def casing_styles(name: str) -> frozenset[str]:
    """The casing styles ``name`` is written in; a single word fits several (``order``), and a
    single letter every one: it is a code (Slack's channel types ``C``, ``G``, ``D``), not a word
    with a casing."""
    if len(name) == 1 and name.isalpha():
        return frozenset(CASING_STYLES)
    out: set[str] = set()
    if re.fullmatch(r"[A-Z][a-z0-9]*(?:[A-Z][a-z0-9]*)*|[A-Z][A-Za-z0-9]*", name) and not (
        name.isupper() and len(name) > 1 and "_" not in name and len(split_identifier(name)) == 1
        and len(name) > 3
    ):
        out.add("PascalCase")
    if re.fullmatch(r"[a-z][a-z0-9]*(?:[A-Z][a-z0-9]*)*|[a-z][a-zA-Z0-9]*", name):
        out.add("camelCase")
    if re.fullmatch(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*", name):
        out.add("snake_case")
    if re.fullmatch(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*", name):
        out.add("SCREAMING_SNAKE_CASE")
    if re.fullmatch(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*", name):
        out.add("kebab-case")
    if re.fullmatch(r"[a-z][a-z0-9_-]*(?:\.[a-z0-9_-]+)*", name) and (
        "." in name or not re.search(r"[_-]", name)
    ):
        out.add("dot.case")
    return frozenset(out)


def render(words: list[str], style: str) -> str:
    """Write ``words`` in a casing style (for rename suggestions)."""
    lower = [w.lower() for w in words]
    if style == "PascalCase":
        return "".join(w.capitalize() for w in lower)
    if style == "camelCase":
        return lower[0] + "".join(w.capitalize() for w in lower[1:]) if lower else ""
    if style == "snake_case":
        return "_".join(lower)
    if style == "SCREAMING_SNAKE_CASE":
        return "_".join(lower).upper()
    if style == "kebab-case":
        return "-".join(lower)
    if style == "dot.case":
        return ".".join(lower)
    raise ValueError(f"unknown casing style {style!r}")


# A channel name is a path: its levels are separated by "/" (MQTT, AMQP, WebSocket, HTTP) or
# "." (Kafka, NATS), and "{streetlightId}" stands for a parameter's value. Neither the separator
# nor a parameter's own name is the channel's casing: "smartylighting/streetlights/1/0/event/
# {streetlightId}/lighting/measured" is written like "some.channel".
_PLACEHOLDER = re.compile(r"\{[^{}/]*\}")


@lru_cache(maxsize=65536)
def channel_casing_form(name: str) -> str:
    """The part of a channel name whose casing is judged: levels joined by "." (so "/" and "."
    paths compare alike), parameter placeholders left out."""
    if "/" not in name and "{" not in name:
        return name
    levels = (_PLACEHOLDER.sub("", level) for level in name.split("/"))
    return re.sub(r"\.{2,}", ".", ".".join(levels)).strip(".")  # "" for "{tenant}": no casing


def render_channel(name: str, style: str) -> str:
    """Rewrite a channel name in a casing style, keeping its "/" levels and parameters."""
    if "/" not in name and "{" not in name:
        return render(split_identifier(name), style)
    out = []
    for level in name.split("/"):
        parts = re.split(r"(\{[^{}/]*\})", level)
        out.append("".join(p if p.startswith("{") or not split_identifier(p)
                           else render(split_identifier(p), style) for p in parts))
    return "/".join(out)


def suggest_wire_type(name: str, kind: str = "event", existing: tuple[str, ...] | list[str] = ()) -> str:
    """The wire type a message's name suggests, entity first: ``OrderPlaced`` -> ``order.placed``,
    ``SendEmail`` (a command) -> ``email.send``, ``GetOrderStatus`` (a query) ->
    ``order.get-status``. When every ``existing`` type of the team shares leading segments that
    are not its own entity (``com.acme.``), the suggestion starts with them too. "" for no words."""
    words = [w.lower() for w in split_identifier(name) if w.strip()]
    words = [w for w in ("".join(ch for ch in w if ch.isalnum()) for w in words) if w]
    if not words:
        return ""
    if kind in ("command", "query") and len(words) > 1:
        entity, rest = words[1], [words[0], *words[2:]]
    else:
        entity, rest = words[0], words[1:]
    wire = entity + ("." + "-".join(rest) if rest else "")
    split = [t.split(".") for t in existing if t]
    if len(split) >= 2:
        prefix: list[str] = []
        for parts in zip(*(p[:-2] for p in split)):
            if len(set(parts)) != 1:
                break
            prefix.append(parts[0])
        if prefix:
            wire = ".".join(prefix) + "." + wire
    return wire
