"""Benchmark the glossary matcher: a 5 000-term termbase against ~48 000 sentences
(about the 4 000-entry archive). Target: build + annotate in under 5 s.

    PYTHONPATH=. python benchmarks/bench_glossary.py [--terms 5000] [--sentences 48000] [--seed 7]
"""

from __future__ import annotations

import argparse
import random
import resource
import time
import tracemalloc

from bpod_i18n.glossary import Matcher, Termbase, make_term
from bpod_i18n.glossary.variants import plural_forms

MODIFIERS = [
    "adult",
    "cardiac",
    "cortical",
    "dendritic",
    "embryonic",
    "endothelial",
    "epithelial",
    "fluorescent",
    "haematopoietic",
    "hepatic",
    "immune",
    "inflammatory",
    "intestinal",
    "lymphoid",
    "malignant",
    "mesenchymal",
    "metastatic",
    "microglial",
    "mitochondrial",
    "motor",
    "muscle",
    "neural",
    "neuronal",
    "olfactory",
    "pancreatic",
    "pluripotent",
    "pulmonary",
    "regulatory",
    "renal",
    "retinal",
    "sensory",
    "skeletal",
    "spinal",
    "synaptic",
    "tumour",
    "vascular",
    "viral",
    "bacterial",
    "cytotoxic",
    "helper",
    "memory",
    "natural",
    "killer",
    "progenitor",
    "satellite",
    "germline",
    "somatic",
    "basal",
    "apical",
    "luminal",
    "ciliated",
    "secretory",
]
HEADS = [
    "cell",
    "neuron",
    "receptor",
    "protein",
    "gene",
    "pathway",
    "membrane",
    "tissue",
    "organoid",
    "embryo",
    "tumour",
    "vessel",
    "fibre",
    "network",
    "cluster",
    "signal",
    "channel",
    "kinase",
    "enzyme",
    "antibody",
    "antigen",
    "cytokine",
    "hormone",
    "factor",
    "marker",
    "lineage",
    "niche",
    "organelle",
    "nucleus",
    "axon",
    "synapse",
    "dendrite",
    "spine",
    "junction",
    "matrix",
    "scaffold",
    "biofilm",
    "colony",
    "spore",
    "virus",
    "bacterium",
    "parasite",
    "microscope",
    "microscopy",
    "scan",
    "imaging",
    "assay",
    "model",
    "therapy",
    "vaccine",
    "trial",
    "mutation",
    "variant",
    "chromosome",
    "genome",
    "transcript",
    "enhancer",
    "promoter",
    "domain",
    "complex",
    "filament",
    "granule",
    "vesicle",
]
LINKS = ("of the", "in the", "of")
GENERA = [
    "Mus",
    "Danio",
    "Drosophila",
    "Escherichia",
    "Caenorhabditis",
    "Xenopus",
    "Arabidopsis",
    "Saccharomyces",
    "Plasmodium",
    "Salmonella",
]
SPECIES = [
    "musculus",
    "rerio",
    "melanogaster",
    "coli",
    "elegans",
    "laevis",
    "thaliana",
    "cerevisiae",
    "falciparum",
    "enterica",
]
FILLER = [
    "researchers",
    "scientists",
    "found",
    "that",
    "this",
    "image",
    "shows",
    "how",
    "the",
    "when",
    "during",
    "where",
    "which",
    "these",
    "those",
    "bright",
    "green",
    "red",
    "blue",
    "dots",
    "tiny",
    "structures",
    "inside",
    "a",
    "living",
    "animal",
    "lab",
    "dish",
    "under",
    "new",
    "study",
    "reveals",
    "might",
    "help",
    "explain",
    "why",
    "some",
    "patients",
    "respond",
    "better",
    "treatments",
    "could",
    "one",
    "day",
    "target",
    "early",
    "stages",
    "in",
    "development",
    "and",
    "disease",
    "while",
    "others",
    "remain",
    "unclear",
    "so",
    "far",
    "results",
    "suggest",
    "promising",
]


def synthetic_termbase(n_terms: int, rng: random.Random) -> Termbase:
    """Plausible terms: 'regulatory T cell', 'receptor of the tumour niche', gene symbols, binomials."""
    seen: set[str] = set()
    terms = []
    while len(terms) < n_terms:
        kind = rng.random()
        if kind < 0.05:
            source = f"{rng.choice('ABCDEFGHKLMNPRSTW')}{rng.choice('ABCDEFGHKLMNPRSTW')}{rng.choice('ABCDKNPRST')}{rng.randint(1, 99)}"
            dnt = True
        elif kind < 0.08:
            source = f"{rng.choice(GENERA)} {rng.choice(SPECIES)}"
            dnt = True
        elif kind < 0.2:
            source = f"{rng.choice(HEADS)} {rng.choice(LINKS)} {rng.choice(MODIFIERS)} {rng.choice(HEADS)}"
            dnt = False
        else:
            words = rng.sample(MODIFIERS, rng.choice((1, 1, 2, 2, 3))) + [rng.choice(HEADS)]
            source = " ".join(words)
            if rng.random() < 0.1:
                source = source.replace(" ", "-", 1)
            dnt = False
        if source.lower() in seen:
            continue
        seen.add(source.lower())
        target = source if dnt else f"tr({source})"
        terms.append(make_term(source, target, pos="properNoun" if dnt and " " in source else "noun", dnt=dnt))
    return Termbase("en", "xx", terms)


def synthetic_sentences(termbase: Termbase, n_sentences: int, rng: random.Random) -> list[str]:
    """~20-word sentences of filler with 1-3 terms each, some in plural or hyphenated form."""
    terms = termbase.terms
    out = []
    for _ in range(n_sentences):
        words = rng.choices(FILLER, k=rng.randint(12, 22))
        for _ in range(rng.randint(1, 3)):
            entry = rng.choice(terms)
            term = entry.source
            roll = rng.random()
            if roll < 0.3 and not entry.dnt:
                head, _, last = term.rpartition(" ")
                plural = rng.choice(sorted(plural_forms(last)))
                term = f"{head} {plural}" if head else plural
            elif roll < 0.4:
                term = term.replace(" ", "-", 1)
            words.insert(rng.randrange(len(words) + 1), term)
        text = " ".join(words)
        out.append(text[0].upper() + text[1:] + ".")
    return out


def run(sentences: list[str], termbase: Termbase | None = None, *, seed: int = 7) -> dict:
    """Build a matcher (over ``termbase``, or a synthetic 5 000-term one) and annotate ``sentences``."""
    termbase = termbase or synthetic_termbase(5000, random.Random(seed))
    cpu_started = time.process_time()
    started = time.perf_counter()
    matcher = Matcher(termbase)
    built = time.perf_counter()
    hits = sum(len(matcher.find(sentence)) for sentence in sentences)
    done = time.perf_counter()
    cpu_done = time.process_time()
    return {
        "terms": len(termbase),
        "sentences": len(sentences),
        "hits": hits,
        "build_s": round(built - started, 3),
        "annotate_s": round(done - built, 3),
        "total_s": round(done - started, 3),
        # CPU time too: on a loaded machine wall time measures the neighbours
        "total_cpu_s": round(cpu_done - cpu_started, 3),
    }


def peak_memory_mib(sentences: list[str], termbase: Termbase) -> float:
    """Peak Python allocation while building and annotating (a second, slower run under tracemalloc)."""
    tracemalloc.start()
    matcher = Matcher(termbase)
    for sentence in sentences:
        matcher.find(sentence)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--terms", type=int, default=5000)
    parser.add_argument("--sentences", type=int, default=48000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    termbase = synthetic_termbase(args.terms, rng)
    sentences = synthetic_sentences(termbase, args.sentences, rng)
    result = run(sentences, termbase)
    result["peak_traced_mib"] = round(peak_memory_mib(sentences, termbase), 1)
    result["max_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    for key, value in result.items():
        print(f"{key:>16}: {value}")
    print(f"{'target':>16}: total < 5 s -> {'ok' if result['total_s'] < 5 else 'TOO SLOW'}")


if __name__ == "__main__":
    main()
