"""Every model of the platform, imported in one place so the metadata is complete."""

from accounts.models import Cohort, Enrolment, LearnerProfile, User
from assessments.models import (
    Attempt,
    EvidenceFile,
    Judgement,
    Marking,
    Observation,
    Outcome,
    Reopening,
    Response,
)
from audit.models import AuditEvent, AuditHead
from courseware.models import CheckAttempt, ModuleProgress
from records.models import Certificate, CertificateUnit, Counter, Job

__all__ = [
    "Attempt",
    "AuditEvent",
    "AuditHead",
    "Certificate",
    "CertificateUnit",
    "CheckAttempt",
    "Cohort",
    "Counter",
    "Enrolment",
    "EvidenceFile",
    "Job",
    "Judgement",
    "LearnerProfile",
    "Marking",
    "ModuleProgress",
    "Observation",
    "Outcome",
    "Reopening",
    "Response",
    "User",
]
