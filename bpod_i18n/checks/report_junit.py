"""JUnit XML for CI test tabs (GitLab, Jenkins, Azure, GitHub test reporters).

One ``<testsuite>`` per locale; one ``<testcase>`` per PO file (classname ``bpod-i18n.<lc>``,
name the file path) with one ``<failure type="<check id>">`` per error, warnings in
``<system-out>``; a ``gate`` testcase carries the reasons a locale failed, and each condition
not checked (review progress under ``--no-db``) is a ``not checked`` testcase marked
``<skipped>`` with the reason, so a CI test tab shows it. Validates against
tests/fixtures/checks/junit.xsd (the Jenkins junit-10 layout).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict

from bpod_i18n.checks.base import Severity
from bpod_i18n.checks.report_text import problem_line, summary_line
from bpod_i18n.checks.result import CheckResult, Problem

# Characters XML 1.0 cannot carry at all (a control-characters problem quotes them).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(text: str) -> str:
    return _NOT_XML.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def _failure_text(problem: Problem) -> str:
    lines = [problem_line(problem)]
    if problem.source:
        lines.append(f"source:      {problem.source}")
    if problem.target:
        lines.append(f"translation: {problem.target}")
    return _xml_text("\n".join(lines))


def render_junit(result: CheckResult) -> str:
    root = ET.Element("testsuites", name="bpod-i18n check")
    total_tests = total_failures = total_skipped = 0
    for summary in result.locales:
        problems_by_file: dict[str, list[Problem]] = defaultdict(list)
        for problem in result.problems_for(summary.locale):
            problems_by_file[problem.file].append(problem)
        files = sorted(set(problems_by_file) | set(result.files_by_locale.get(summary.locale, [])))
        suite = ET.SubElement(root, "testsuite", name=summary.locale)
        properties = ET.SubElement(suite, "properties")
        ET.SubElement(properties, "property", name="summary", value=_xml_text(summary_line(summary)))
        tests = failures = 0
        for path in files:
            case = ET.SubElement(
                suite, "testcase", name=_xml_text(path), classname=f"bpod-i18n.{summary.locale}", time="0"
            )
            tests += 1
            errors = [p for p in problems_by_file.get(path, []) if p.severity is Severity.ERROR]
            warnings = [p for p in problems_by_file.get(path, []) if p.severity is Severity.WARNING]
            for problem in errors:
                failure = ET.SubElement(
                    case, "failure", message=_xml_text(f"{problem.check}: {problem.message}"), type=problem.check
                )
                failure.text = _failure_text(problem)
            if warnings:
                out = ET.SubElement(case, "system-out")
                out.text = "\n".join(_failure_text(p) for p in warnings)
            failures += bool(errors)
        gate = ET.SubElement(suite, "testcase", name="gate", classname=f"bpod-i18n.{summary.locale}", time="0")
        tests += 1
        for reason in summary.reasons:
            ET.SubElement(gate, "failure", message=_xml_text(reason), type="gate").text = _xml_text(reason)
        failures += bool(summary.reasons)
        for what in summary.unchecked:
            case = ET.SubElement(
                suite, "testcase", name="not checked", classname=f"bpod-i18n.{summary.locale}", time="0"
            )
            ET.SubElement(case, "skipped", message=_xml_text(what))
            tests += 1
        suite.set("tests", str(tests))
        suite.set("failures", str(failures))
        suite.set("errors", "0")
        suite.set("skipped", str(len(summary.unchecked)))
        suite.set("time", "0")
        total_tests += tests
        total_failures += failures
        total_skipped += len(summary.unchecked)
    root.set("tests", str(total_tests))
    root.set("failures", str(total_failures))
    root.set("skipped", str(total_skipped))
    root.set("errors", "0")
    root.set("time", "0")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
