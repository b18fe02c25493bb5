"""A synthetic BPoD archive: N entries of page text, 150-250 words each, varied sentences.

Sentences are built from templates over a biomedical vocabulary with a seeded random
generator, so two runs give the same archive and no two entries are copies.

``build_archive(..., markup=True)`` writes the same entries as HTML pages with what a real
entry has: a ``<figure>`` with the picture (alt text and credit lines), the species in
italics (``<em>``), a sub- or superscript, and a notice with a link to the research article.
"""

from __future__ import annotations

import datetime as dt
import html
import random
import re
from pathlib import Path

SUBJECTS = [
    "T cells",
    "macrophages",
    "stem cells",
    "neurons",
    "interneurons",
    "motor neurons",
    "organoids",
    "zebrafish embryos",
    "fruit fly larvae",
    "cancer cells",
    "tumour cells",
    "blood vessels",
    "microglia",
    "astrocytes",
    "hair cells",
    "bone cells",
    "muscle fibres",
    "kidney cells",
    "bacteria",
    "immune cells",
    "B cells",
    "red blood cells",
    "platelets",
    "skin cells",
    "heart muscle cells",
    "retinal cells",
    "liver cells",
    "gut bacteria",
    "lymphocytes",
    "neutrophils",
]
VERBS = [
    "migrate towards",
    "cluster around",
    "communicate with",
    "attack",
    "repair",
    "surround",
    "respond to",
    "form connections with",
    "send signals to",
    "engulf",
    "protect",
    "reshape",
]
OBJECTS = [
    "damaged tissue",
    "the developing spinal cord",
    "a growing tumour",
    "invading pathogens",
    "the blood-brain barrier",
    "the surrounding matrix",
    "neighbouring cells",
    "a wound",
    "the lining of the gut",
    "the retina",
    "newly formed blood vessels",
    "the inner ear",
]
TECHNIQUES = [
    "super-resolution microscopy",
    "a scanning electron microscope",
    "light-sheet microscopy",
    "confocal microscopy",
    "cryo-electron microscopy",
    "fluorescent labelling",
    "live imaging",
    "CRISPR gene editing",
    "single-cell sequencing",
    "two-photon imaging",
]
DISEASES = [
    "motor neuron disease",
    "Alzheimer's disease",
    "cancer",
    "autoimmune diseases",
    "diabetes",
    "cystic fibrosis",
    "muscular dystrophy",
    "heart disease",
    "hearing loss",
    "malaria",
]
ORGANISMS = ["a mouse", "zebrafish", "fruit flies", "Mus musculus", "Drosophila melanogaster", "E. coli"]
TEMPLATES = [
    "In this image, {subject} {verb} {object}, captured using {technique}.",
    "Researchers used {technique} to watch {subject} {verb} {object} in {organism}.",
    "Understanding how {subject} {verb} {object} could lead to new treatments for {disease}.",
    "The team found that {subject} {verb} {object} within {n} hours, e.g. after an injury.",
    "Each of these {subject} measures approx. {n} µm across, about {d} times smaller than expected.",
    "Studies in {organism} have revealed that {subject} {verb} {object} more often than thought.",
    "Dr. Smith et al. showed that {subject} {verb} {object} when exposed to {disease}-like conditions.",
    "It's hoped that these insights into {subject} will bring new approaches to {disease}.",
    "Here, {subject} (bright green) {verb} {object} (magenta) in a developing embryo.",
    "Without them, {object} would be left vulnerable – a problem seen in {disease}.",
    "Scientists are now testing whether drugs that help {subject} {verb} {object} are safe.",
    "The picture, taken with {technique}, shows {subject} in extraordinary detail.",
    "As Fig. {n} of the study shows, {subject} rarely {verb} {object} in healthy tissue.",
    "Over {n} years of work went into learning how {subject} {verb} {object}.",
]
TITLES_A = ["Massing", "Trained", "Reassessing", "Seeing", "Hidden", "Growing", "Sunny", "Tiny", "Golden", "Secret"]
TITLES_B = [
    "Defenders",
    "Killers",
    "Connections",
    "Genes",
    "Bones",
    "Networks",
    "Messengers",
    "Repairs",
    "Signals",
    "Builders",
]
AUTHORS = ["Kat Arney", "Emmanuelle Briolat", "Ruth Williams", "Anthony Lewis", "Sophie Arthur", "John Ankers", ""]

BANNER = (
    "BPoD has moved!\n\nBPoD has recently changed our domain name - we can now be found at bpod.org.uk\n\n"
    "Please update your bookmarks!\n\nNow in our 13th year of bringing you beautiful imagery from biomedical "
    "science every day\n\nSearch the archive of over 4000 images\n\n"
)
FOOTER = (
    "Search The Archive\n\nSubmit An Image\n\nFollow on Tumblr\n\nFollow on Instagram\n\nWhat is BPoD?\n\n"
    "BPoD stands for Biomedical Picture of the Day. Managed by the MRC Laboratory of Medical Sciences until "
    "Jul 2023, it is now run independently by a dedicated team of scientists and writers. The website aims to "
    "engage everyone, young and old, in the wonders of biology, and its influence on medicine. The "
    "ever-growing archive of more than 4000 research images documents over a decade of progress. Explore the "
    "collection and see what you discover. Images are kindly provided for inclusion on this website through "
    "the generosity of scientists across the globe.\n\nRead More\n\nBPoD is also available in Catalan at "
    "www.bpod.cat with translations by the University of Valencia."
)


def sentence(rng: random.Random) -> str:
    return rng.choice(TEMPLATES).format(
        subject=rng.choice(SUBJECTS),
        verb=rng.choice(VERBS),
        object=rng.choice(OBJECTS),
        technique=rng.choice(TECHNIQUES),
        disease=rng.choice(DISEASES),
        organism=rng.choice(ORGANISMS),
        n=rng.randint(2, 90),
        d=rng.randint(2, 12),
    )


def paragraph(rng: random.Random, words: int) -> str:
    out: list[str] = []
    while sum(len(s.split()) for s in out) < words:
        out.append(sentence(rng))
    return " ".join(out)


def page(rng: random.Random, date: dt.date, n: int) -> tuple[str, str]:
    title = f"{rng.choice(TITLES_A)} {rng.choice(TITLES_B)} {n}"
    words = rng.randint(150, 250)
    parts = [BANNER if rng.random() < 0.8 else "", f"{title}\n{date:%d %B %Y}\n\n{title}\n\n"]
    if rng.random() < 0.3:
        parts = [parts[0], f"{title}\n\n{sentence(rng)}\n\n{date:%d %B %Y}\n\n{title}\n\n"]
    if rng.random() < 0.25:
        parts.append(paragraph(rng, words // 2) + "\n\n" + paragraph(rng, words - words // 2) + "\n\n")
    else:
        parts.append(paragraph(rng, words) + "\n\n")
    parts.append(f"Written by {rng.choice(AUTHORS)}\n\n{FOOTER}")
    slug_title = title.lower().replace(" ", "-")
    return f"{date.isoformat()}-{slug_title}", "".join(parts)


def html_page(slug: str, text: str, n: int) -> str:
    """The page-text entry ``text`` as an HTML page with a picture, italics, sub/sup and a link."""
    lines = [line for line in text.splitlines() if line.strip()]
    at = next(i for i, line in enumerate(lines) if re.fullmatch(r"\d{2} [A-Z][a-z]+ \d{4}", line))
    title = lines[at + 1]  # the title repeated after the date
    standfirst = lines[at - 1] if lines[at - 1] != title else None
    end = next(i for i, line in enumerate(lines) if line.startswith("Written by"))
    body = []
    for number, block in enumerate(lines[at + 2 : end]):
        escaped = html.escape(block, quote=False)
        for organism in ORGANISMS:  # the species in italics, as BPoD sets them
            if organism in escaped:
                escaped = escaped.replace(organism, f"<em>{organism}</em>", 1)
                break
        if number == 0:
            escaped += " Levels of CO<sub>2</sub> and Ca<sup>2+</sup> were measured."
        body.append(f"<p>{escaped}</p>")
    standfirst_html = f'<p class="standfirst">{html.escape(standfirst)}</p>' if standfirst else ""
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)} | BPoD</title></head>
<body><div class="banner"><p>BPoD has moved!</p></div>
<article><h1>{html.escape(title)}</h1>{standfirst_html}<time>{lines[at]}</time>
<figure><img src="https://bpod.org.uk/media/{slug}.jpg" alt="Cells of entry {n} under the microscope"
 width="800" height="600"><figcaption><p>Image from work by Ana Ruiz and colleagues</p>
<p>Institute of Cell Biology, University of Somewhere</p></figcaption></figure>
{"".join(body)}
<p>Read the published research article <a href="https://doi.org/10.1000/{n}">here</a></p>
<p>{html.escape(lines[end])}</p></article></body></html>
"""


def build_archive(folder: Path, entries: int = 4000, seed: int = 2016, *, markup: bool = False) -> list[Path]:
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    start = dt.date(2012, 1, 1)
    paths = []
    for n in range(entries):
        slug, text = page(rng, start + dt.timedelta(days=n), n)
        path = folder / f"{slug}.{'html' if markup else 'txt'}"
        path.write_text(html_page(slug, text, n) if markup else text, encoding="utf-8")
        paths.append(path)
    return paths
