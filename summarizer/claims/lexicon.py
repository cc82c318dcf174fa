"""Every English word the claims pass looks for, in one place: the cues that report a
claim, the words around them, and the words that stand for someone without naming them.

Words are lemmas (spaCy's `token.lemma_`, lower case) unless a name says otherwise. To
support another shape of English reporting, add its word here; the parse does the rest.
"""

from __future__ import annotations

from typing import Literal

# What a cue's own meaning says the frame is, before the model judges it.
CueSense = Literal["accuse", "deny", "report"]

# Verbs whose subject charges someone: the object (or the reported clause's subject) is
# who is charged. "claim" is here as a verb only ("she claimed that ...").
ACCUSING_VERBS = frozenset(
    {
        "accuse",
        "allege",
        "blame",
        "charge",
        "claim",
        "implicate",
        "indict",
        "sue",
        "fault",
        "slam",
        "criticise",
        "criticize",
        "condemn",
        "lambast",
        "castigate",
        "suspect",
    }
)
# Verbs whose subject rejects a claim or a report.
DENYING_VERBS = frozenset(
    {
        "deny",
        "reject",
        "refute",
        "dismiss",
        "dispute",
        "rebut",
        "contest",
        "repudiate",
        "rubbish",
        "debunk",
        "disown",
        "trash",
    }
)
# Verbs that report speech or writing: what they report may be a claim, a denial or a
# plain statement, and the model judges which.
REPORTING_VERBS = frozenset(
    {
        "say",
        "tell",
        "add",
        "state",
        "insist",
        "argue",
        "maintain",
        "warn",
        "note",
        "explain",
        "write",
        "reveal",
        "report",
        "testify",
        "confirm",
        "admit",
        "suggest",
        "assert",
        "contend",
        "stress",
        "describe",
        "call",
        "brand",
        "label",
        "term",
        "dub",
        "point",
        "question",
        "demand",
        "urge",
        "complain",
        "announce",
        "declare",
        "vow",
        "threaten",
        "plead",
        "counter",
        "respond",
        "reply",
        "retort",
        "observe",
        "remark",
        "recall",
        "concede",
        "acknowledge",
        "believe",
        "fear",
        "show",
        "find",
    }
)
# Nouns that are a claim or its answer: "the allegations against him", "an accusation
# the director rejected", "his denial". A frame is made of such a noun only when no cue
# verb governs it ("rejected the allegations" is the verb's frame).
ACCUSING_NOUNS = frozenset(
    {"allegation", "accusation", "claim", "charge", "complaint", "lawsuit", "suit", "suspicion"}
)
DENYING_NOUNS = frozenset({"denial", "rejection", "rebuttal"})
# "according to X": the holder of the claim.
ACCORDING = ("accord", "to")
# "pleaded not guilty", "pleaded innocent": a plea is a denial.
PLEA_WORDS = frozenset({"guilty", "innocent", "innocence"})
# Prepositions that name whom a claim is about: "allegations against him", "claims about
# the minister", "accused of".
AGAINST_PREPOSITIONS = frozenset({"against", "about", "over", "on"})
# Prepositions that name who makes a claim a noun carries: "claims by German media".
BY_PREPOSITIONS = frozenset({"by", "from"})

# Personal pronouns a source or target may be; resolved to an actor named before.
PERSON_PRONOUNS = frozenset({"he", "she", "him", "her", "his", "hers", "i", "me", "my"})
GROUP_PRONOUNS = frozenset({"they", "them", "their", "we", "us", "our", "it", "its"})
PRONOUNS = PERSON_PRONOUNS | GROUP_PRONOUNS
GROUP_SUBJECTS = frozenset({"they", "we", "it"})

# Who speaks for an organisation without a name of their own: what they say is its word.
SPEAKS_FOR = frozenset(
    {"spokesman", "spokeswoman", "spokesperson", "spokesmen", "spokeswomen", "spokespeople"}
)
# Words that describe an unnamed source: "officials said", "sources close to the talks".
UNNAMED_SOURCES = frozenset(
    {
        "source",
        "official",
        "insider",
        "people",
        "person",
        "critic",
        "observer",
        "analyst",
        "witness",
        "resident",
        "member",
        "aide",
        "diplomat",
        "report",
        "media",
        "investigator",
        "police",
        "prosecutor",
        "prosecution",
        "activist",
        "opponent",
        "supporter",
        "leader",
        "parent",
        "family",
        "worker",
        "employee",
        "staff",
    }
)

# Nouns for people in the plural, who can make or face a claim as a group ("Mugabe
# supporters", "two Kenyan athletes", "the opposition"), beside the unnamed sources above.
PEOPLE_NOUNS = UNNAMED_SOURCES | frozenset(
    {
        "athlete", "player", "protester", "demonstrator", "student", "teacher", "doctor",
        "nurse", "farmer", "villager", "voter", "shareholder", "investor", "customer",
        "patient", "defendant", "suspect", "victim", "opposition", "lawmaker", "legislator",
        "subordinate", "colleague", "relative", "fan", "miner", "driver", "officer",
        "soldier", "militant", "rebel", "journalist", "reporter", "lawyer", "judge",
        "minister", "councillor", "director", "executive", "manager", "loyalist",
        "dissident", "official", "authority",
    }
)  # fmt: skip

# Titles dropped before names are compared. GOLD_TITLES are the ones GOLD.md removes;
# resolution drops the rest as well, and honorifics after a name.
GOLD_TITLES = frozenset({"mr", "mrs", "ms", "dr", "sir", "senator", "syed"})
TITLES = GOLD_TITLES | frozenset(
    {"miss", "sen", "prof", "professor", "gen", "col", "capt", "hon", "justice", "judge"}
)
HONORIFICS = frozenset({"bhai", "sahib", "saheb", "sahab", "ji", "jr", "sr"})
# Words an acronym skips: "Anti-Doping Agency of Kenya" is ADAK.
ACRONYM_SKIPS = frozenset({"of", "the", "and", "for", "de", "al"})
# Words that only point at what follows: "the mayor", "its chief executive".
POINTERS = frozenset({"the", "a", "an", "its", "his", "her", "their", "our", "this", "that"})
# Where a role's head ends: "managing director | of ParkRight".
ROLE_TAIL_WORDS = ("of", "at", "for", "in", "with", "to", "from", "on", "and")
# How an owner ends: "Brenford's mayor", "Alwyn Harbour Terminals' chief executive".
POSSESSIVE_ENDINGS = ("'s", "\u2019s", "s'", "s\u2019")
# Words that stand for someone without naming them: never a name on their own.
NOT_NAMES = PRONOUNS | frozenset(
    {
        "hers",
        "you",
        "someone",
        "somebody",
        "anyone",
        "nobody",
        "none",
        "unknown",
        "unnamed",
        "others",
        "other",
        "n",
        "a",
        "na",
    }
)

# Named-entity labels that can be actors, and the kind each gives. Places (GPE, LOC)
# are actors only when they act, which the model decides.
ENTITY_KINDS = {"PERSON": "person", "ORG": "organization", "NORP": "group"}

# What a claim can be written in: its source is whoever published or filed it ("a report
# by Muddy Waters alleging ...", "La Vanguardia published an article alleging ...").
DOCUMENT_NOUNS = frozenset(
    {
        "report", "article", "documentary", "statement", "lawsuit", "suit", "complaint",
        "petition", "filing", "letter", "study", "survey", "audit", "investigation", "probe",
        "document", "record", "memo", "post", "tweet", "video", "footage", "release",
        "dossier", "indictment", "judgment", "ruling", "story", "broadcast", "programme",
        "program", "disclosure", "notice", "affidavit", "submission", "motion", "claim",
    }
)  # fmt: skip
# Nouns that refer back to an organisation named earlier: "the firm", "the club", "the
# ministry". A description with one of these heads and no name resolves to the
# organisation the article is about at that point.
ORGANISATION_NOUNS = frozenset(
    {
        "company", "firm", "group", "conglomerate", "business", "corporation", "government",
        "administration", "party", "club", "team", "side", "ministry", "department", "board",
        "bank", "lender", "insurer", "federation", "association", "union", "council",
        "commission", "agency", "committee", "campaign", "body", "organisation",
        "organization", "authority", "regulator", "watchdog", "hospital", "university",
        "network", "broadcaster", "channel", "newspaper", "league", "coalition", "alliance",
        "movement", "tribunal", "institute", "foundation", "trust", "charity", "operator",
        "airline", "manufacturer", "carmaker", "retailer", "developer", "contractor",
        "supplier", "office", "service", "parliament", "assembly", "senate", "cabinet",
        "court", "giant", "outlet", "publication", "platform", "police", "opposition",
        "media", "prosecution",
    }
)  # fmt: skip
# Nouns that refer back to a person by what they are: "the minister", "the defendant".
PERSON_NOUNS = frozenset(
    {
        "minister", "president", "premier", "chairman", "chairwoman", "chairperson", "chair",
        "spokesman", "spokeswoman", "spokesperson", "lawyer", "attorney", "barrister",
        "solicitor", "judge", "magistrate", "mayor", "governor", "senator", "mp", "lawmaker",
        "legislator", "councillor", "director", "chief", "head", "leader", "coach", "manager",
        "player", "captain", "striker", "midfielder", "goalkeeper", "official", "secretary",
        "commissioner", "inspector", "officer", "prosecutor", "founder", "owner", "executive",
        "ceo", "adviser", "advisor", "aide", "deputy", "speaker", "chancellor", "king", "queen",
        "prince", "businessman", "businesswoman", "defendant", "suspect", "complainant",
        "victim", "doctor", "journalist", "reporter", "editor", "candidate", "treasurer",
        "auditor", "investigator", "general", "colonel", "commander", "superintendent",
        "principal", "teacher", "activist", "whistleblower", "banker", "economist", "man",
        "woman", "father", "mother", "son", "daughter", "husband", "wife", "athlete",
        "opener", "batsman", "bowler", "boss", "referee", "trainer", "priest", "bishop",
    }
)  # fmt: skip
# Kinds of body or person, never a name alone, however capitalised ("the Tribunal", a
# headline's "Hospital"); "Police" names the force of the story, as "the police" does.
NOT_NAMES_ALONE = (ORGANISATION_NOUNS | PERSON_NOUNS) - {"police"}
# Words of a title that may open a person's name as an entity: "District Magistrate
# Rajiv Rautela", "Health Minister Eric Hoskins". They are the person's role, not name.
TITLE_QUALIFIERS = frozenset(
    {
        "district", "deputy", "vice", "health", "finance", "foreign", "interior", "education",
        "state", "national", "regional", "general", "former", "senior", "acting", "chief",
        "prime", "attorney", "opposition", "federal", "provincial", "county", "party",
        "police", "army", "home", "defence", "defense", "trade", "sports", "justice",
        "caretaker", "executive", "managing", "assistant", "associate", "lead", "head",
        "sen", "rep", "gov", "supt", "insp", "sgt", "lt", "mr", "mrs", "ms", "dr",
    }
)  # fmt: skip

# Words of wrongdoing: what a reported statement says someone did wrong ("the firm had
# inflated cash balances", "the election was rigged"). Lemmas, as spaCy gives them.
WRONGDOING = frozenset(
    {
        "corrupt", "corruption", "fraud", "fraudulent", "bribe", "bribery", "kickback",
        "embezzle", "embezzlement", "launder", "laundering", "rig", "rigging", "doping",
        "dope", "steal", "theft", "loot", "misappropriate", "misappropriation", "siphon",
        "abuse", "harass", "harassment", "assault", "rape", "murder", "torture",
        "intimidate", "intimidation", "threaten", "lie", "mislead", "conceal", "cover",
        "falsify", "fabricate", "forge", "manipulate", "manipulation", "inflate",
        "overcharge", "evade", "evasion", "illegal", "illegally", "unlawful", "unlawfully",
        "breach", "violate", "violation", "negligence", "negligent", "mismanage",
        "mismanagement", "misconduct", "wrongdoing", "crime", "criminal", "offence",
        "offense", "conspire", "conspiracy", "collude", "collusion", "sabotage",
        "discriminate", "discrimination", "exploit", "defame", "defamation", "incite",
        "cheat", "scam", "fake", "bogus", "dishonest", "illicit", "improper", "unethical",
        "irregularity", "nepotism", "cronyism", "extort", "extortion", "blackmail",
        "smuggle", "trafficking", "persecute", "persecution", "suppress", "censor",
        "deceive", "deception", "hide", "fix", "spot-fixing", "understate",
        "funnel", "channel", "divert", "plunder", "favouritism", "favoritism", "malpractice",
        "scandal", "illegality", "complicity", "complicit", "fault", "blame", "responsible",
        "incriminate", "victimise", "victimize", "betray", "kill", "fine", "ban", "sack",
    }
)  # fmt: skip
# Words of a statement that reject a claim without a verb of denial: "the allegations are
# baseless", "a smear campaign".
DISMISSIVE = frozenset(
    {
        "baseless", "unfounded", "untrue", "false", "groundless", "nonsense", "smear",
        "lie", "lies", "fabrication", "ridiculous", "absurd", "spurious", "malicious",
        "mischievous", "meritless", "unsubstantiated", "defamatory", "misleading", "wrong",
        "incorrect", "rubbish", "fake", "propaganda", "slander", "libel", "innocent",
    }
)  # fmt: skip
# Words that negate what follows: "did not pay", "never received", "no evidence".
NEGATIONS = frozenset({"not", "n't", "never", "no", "nothing", "none", "nobody", "neither", "nor"})
