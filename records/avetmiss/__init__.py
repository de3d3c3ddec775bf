"""AVETMISS 8.0 (NCVER VET Provider Collection) export: records in, validated fixed-width NAT files out.

No Flask, no database: build a `Submission` from the dataclasses in `records`, call `validate`, then
`export_zip` (or `write_files` / `write_zip`). Layout sources and what is confirmed are in README.md.
"""

from __future__ import annotations

from .fields import FieldError
from .layouts import LAYOUTS, Field, Layout
from .problems import Problem
from .records import (
    Client,
    ClientContact,
    DeliveryLocation,
    Disability,
    Learner,
    Organisation,
    PriorEducation,
    Program,
    ProgramCompletion,
    Subject,
    Submission,
    TrainingActivity,
)
from .validate import Report, check, validate
from .write import Spool, SubmissionInvalid, Unwritable, export_zip, spooled, write_files, write_zip

__all__ = [
    "LAYOUTS",
    "Client",
    "ClientContact",
    "DeliveryLocation",
    "Disability",
    "Field",
    "FieldError",
    "Layout",
    "Learner",
    "Organisation",
    "PriorEducation",
    "Problem",
    "Program",
    "ProgramCompletion",
    "Report",
    "Spool",
    "Subject",
    "Submission",
    "SubmissionInvalid",
    "TrainingActivity",
    "Unwritable",
    "check",
    "export_zip",
    "spooled",
    "validate",
    "write_files",
    "write_zip",
]
