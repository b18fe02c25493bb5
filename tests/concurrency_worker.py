"""One process of the lost-update test: increment a counter held in a translation N times.

Each round reads the text and its version, then writes text+1 carrying the version it saw
(the way an interactive reviewer's edit works). A conflict is counted and the round retried.
Prints {"successes": N, "conflicts": C} as JSON.
"""

import json
import sys
from pathlib import Path

from bpod_i18n.errors import ConflictError
from bpod_i18n.workflow.project import open_project
from bpod_i18n.workflow.review import Decision, decide, queue

project_dir, slug, uid, rounds, name = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
project = open_project(Path(project_dir))
successes = conflicts = 0
while successes < rounds:
    item = next(i for i in queue(project, "ca", slug) if i.uid == uid)
    try:
        decide(project, "ca", uid, Decision.EDIT, by=name, text=str(int(item.text) + 1), seen=item.token)
        successes += 1
    except ConflictError:
        conflicts += 1
print(json.dumps({"successes": successes, "conflicts": conflicts}))
