"""Translation memory: exact and fuzzy matches with their scores."""

from __future__ import annotations

import random

import pytest
from rapidfuzz import fuzz

from bpod_i18n.mt import TMMatch, TMRecord, TranslationMemory
from bpod_i18n.mt.tm import normalize

ALARM = "T cells raise the alarm when they detect a pathogen."


def memory() -> TranslationMemory:
    return TranslationMemory(
        [
            TMRecord(
                ALARM, "Les cèl·lules T donen l'alarma quan detecten un patogen.", "translated", "2016-07-22-a", "u1"
            ),
            TMRecord(
                ALARM, "Les cèl·lules T fan sonar l'alarma quan detecten un patogen.", "reviewed", "2017-01-02-b", "u2"
            ),
            TMRecord(
                "B cells raise the alarm when they detect a virus.",
                "Les cèl·lules B donen l'alarma quan detecten un virus.",
                "reviewed",
                "2018-03-04-c",
                "u3",
            ),
            TMRecord(
                "Neurons fire when they detect a signal.",
                "Les neurones s'activen quan detecten un senyal.",
                "reviewed",
                "2019-05-06-d",
                "u4",
            ),
            TMRecord("It’s hoped that   this helps.", "S'espera que això ajudi.", "translated", "2020-01-01-e", "u5"),
            TMRecord("Read More", "Llegiu-ne més", "reviewed", "x", "u6"),
            TMRecord("Read More", "Llegiu-ne més", "translated", "y", "u7"),
            TMRecord("Machine output is never reused.", "Sortida automàtica.", "machine", "z", "u8"),
        ]
    )


def test_exact_matches_come_first_reviewed_before_translated() -> None:
    matches = memory().lookup(ALARM)
    assert matches == [
        TMMatch(
            100.0,
            ALARM,
            "Les cèl·lules T fan sonar l'alarma quan detecten un patogen.",
            "2017-01-02-b",
            "u2",
            True,
            "reviewed",
        ),
        TMMatch(
            100.0,
            ALARM,
            "Les cèl·lules T donen l'alarma quan detecten un patogen.",
            "2016-07-22-a",
            "u1",
            True,
            "translated",
        ),
        TMMatch(
            pytest.approx(85.1485, abs=1e-3),
            "B cells raise the alarm when they detect a virus.",
            "Les cèl·lules B donen l'alarma quan detecten un virus.",
            "2018-03-04-c",
            "u3",
            False,
            "reviewed",
        ),
    ]


def test_whitespace_and_quote_style_do_not_break_exactness() -> None:
    [match] = memory().lookup("  It's hoped that this\nhelps. ")
    assert (match.score, match.exact, match.target) == (100.0, True, "S'espera que això ajudi.")
    assert normalize("  It’s  “fine”\u00a0now ") == 'It\'s "fine" now'


def test_case_difference_is_a_99_not_an_exact_match() -> None:
    [match] = memory().lookup("read more", limit=1)
    assert (match.score, match.exact, match.state, match.uid) == (99.0, False, "reviewed", "u6")


def test_fuzzy_matches_with_scores_and_threshold() -> None:
    tm = memory()
    query = "T cells raise an alarm when they detect a pathogen."
    matches = tm.lookup(query, limit=5)
    assert [(round(m.score, 2), m.uid, m.exact) for m in matches] == [
        (95.15, "u2", False),
        (95.15, "u1", False),
        (80.0, "u3", False),
    ]
    assert matches[0].score == pytest.approx(fuzz.ratio(query.casefold(), ALARM.casefold()))
    assert tm.lookup(query, min_score=90, limit=5)[-1].uid == "u1"
    assert tm.lookup("Neurons fire when they detect a pathogen.", min_score=95) == []
    assert tm.lookup("Something else entirely, about zebrafish.") == []


def test_same_pair_in_many_entries_is_offered_once_and_machine_text_never() -> None:
    tm = memory()
    assert [(m.uid, m.state) for m in tm.lookup("Read More")] == [("u6", "reviewed")]
    assert tm.lookup("Machine output is never reused.") == []
    assert (len(tm), tm.skipped, tm.distinct_sources) == (7, 1, 5)
    assert tm.build_seconds >= 0


def test_index_finds_what_a_full_scan_finds() -> None:
    rng = random.Random(7)
    words = [f"w{n}" for n in range(300)] + ["the", "of", "cells", "in", "a", "and"] * 20
    sentences = [" ".join(rng.choice(words) for _ in range(rng.randint(6, 18))) + "." for _ in range(3000)]
    tm = TranslationMemory(TMRecord(s, s.upper(), "reviewed", "e", str(n)) for n, s in enumerate(sentences))
    for _ in range(60):
        base = rng.choice(sentences).split()
        # Edit one or two words, as a revised entry would.
        for _ in range(rng.randint(1, 2)):
            base[rng.randrange(len(base))] = rng.choice(words)
        query = " ".join(base)
        full_scan = sorted(
            (round(fuzz.ratio(query.casefold(), s.casefold()), 6), s)
            for s in set(sentences)
            if fuzz.ratio(query.casefold(), s.casefold()) >= 75 and s != query
        )[::-1][:3]
        found = [(round(m.score, 6), m.source) for m in tm.lookup(query, limit=3) if not m.exact]
        assert [score for score, _ in found] == [score for score, _ in full_scan], query
