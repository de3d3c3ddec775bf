"""Rules for training activities (NAT00120) and program completions (NAT00130).

Collection-year rule (NCVER, as we read it): an activity is reported in every year it overlaps, so it must
start on or before 31 December and end on or after 1 January of the collection year. Finished outcomes must
also end within the year, continuing activity (70) must end after it, and an activity not yet started (85)
must start after it.
"""

from __future__ import annotations

from datetime import date

from . import codes
from .fields import is_blank
from .layouts import NAT00120, NAT00130
from .problems import Finding, Findings, remembered
from .records import TrainingActivity

START, END = NAT00120.field("start_date").name, NAT00120.field("end_date").name
MODE = NAT00120.field("delivery_mode").name
PREDOMINANT = NAT00120.field("predominant_delivery_mode").name
COMMENCING = NAT00120.field("commencing_program").name


def completion_findings(completion, last: date) -> list[Finding]:
    """What is wrong with one program completion (NAT00130) of the year ending on `last`."""
    if isinstance(completion.date_completed, date) and completion.date_completed > last:
        field = NAT00130.field("date_completed").name
        return [(field, f"{field} is after the collection year {last.year}.")]
    return []


def activity_findings(activity: TrainingActivity, born: object, first: date, last: date) -> Findings:
    """Date, outcome, delivery mode and program rules of one training activity (NAT00120).

    `born` is the client's date of birth (None when unknown); `first` and `last` bound the collection year.
    """
    start = activity.start_date
    found = _combination_findings(
        start,
        activity.end_date,
        activity.outcome,
        activity.delivery_mode,
        activity.predominant_delivery_mode,
        activity.program_id,
        activity.commencing_program,
        first,
        last,
    )
    if isinstance(born, date) and isinstance(start, date) and start < born:
        return (*found, (START, f"{START} {start:%d/%m/%Y} is before the client was born."))
    return found


@remembered
def _combination_findings(
    start: object,
    end: object,
    outcome: str,
    mode: str,
    predominant: str,
    program_id: str,
    commencing_program: str,
    first: date,
    last: date,
) -> Findings:
    return (
        *_date_messages(start, end, outcome, first, last),
        *_mode_messages(mode, predominant, outcome),
        *_program_messages(program_id, commencing_program),
    )


def _date_messages(start: object, end: object, outcome: str, first: date, last: date) -> list[Finding]:
    if not (isinstance(start, date) and isinstance(end, date)):
        return []  # already reported as a required or badly formatted field
    messages = []
    if start > end:
        messages.append((END, f"{END} {end:%d/%m/%Y} is before the start date {start:%d/%m/%Y}."))
    if end < first:
        messages.append(
            (END, f"{END} is before {first.year}: the activity belongs to an earlier collection.")
        )
    if outcome == codes.NOT_YET_STARTED and start <= last:
        messages.append((START, f"Not yet started (85) needs a {START.lower()} after 31/12/{last.year}."))
    if outcome != codes.NOT_YET_STARTED and start > last:
        messages.append((START, f"{START} is after {last.year}; only outcome 85 (not yet started) may be."))
    if outcome == codes.CONTINUING and end <= last:
        messages.append(
            (END, f"Continuing activity (70) needs an expected {END.lower()} after 31/12/{last.year}.")
        )
    if outcome in codes.FINISHED_OUTCOMES and end > last:
        label = codes.OUTCOME_NATIONAL[outcome]
        messages.append(
            (END, f"Outcome {outcome} ({label}) is final, so the activity must end by 31/12/{last.year}.")
        )
    return messages


def _mode_messages(mode: str, predominant: str, outcome: str) -> list[Finding]:
    messages = []
    if outcome in codes.RPL_OR_CREDIT_TRANSFER:
        if mode != codes.NOT_APPLICABLE_DELIVERY:
            messages.append((MODE, f"RPL and credit transfer (outcome {outcome}) need delivery mode NNN."))
        if predominant != codes.NOT_APPLICABLE_PREDOMINANT:
            messages.append(
                (PREDOMINANT, f"RPL and credit transfer (outcome {outcome}) need predominant mode N.")
            )
        return messages
    if mode == codes.NOT_APPLICABLE_DELIVERY:
        messages.append((MODE, "Delivery mode NNN is only for RPL (51, 52) and credit transfer (60)."))
    if predominant == codes.NOT_APPLICABLE_PREDOMINANT:
        messages.append(
            (PREDOMINANT, "Predominant mode N is only for RPL (51, 52) and credit transfer (60).")
        )
    position = codes.PREDOMINANT_FLAG_POSITION.get(predominant)
    if position is not None and mode in codes.DELIVERY_MODE and mode[position] != "Y":
        label = codes.PREDOMINANT_DELIVERY_MODE[predominant]
        messages.append(
            (PREDOMINANT, f"Predominant mode {predominant} ({label}) is not among delivery modes {mode}.")
        )
    return messages


def _program_messages(program_id: str, commencing_program: str) -> list[Finding]:
    in_program = not is_blank(program_id)
    if not in_program and commencing_program != codes.SUBJECT_ONLY:
        return [(COMMENCING, "A subject enrolled without a program needs commencing program identifier 8.")]
    if in_program and commencing_program == codes.SUBJECT_ONLY:
        return [(COMMENCING, "Commencing program identifier 8 means no program: clear it or the program.")]
    return []
