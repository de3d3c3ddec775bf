"""Input records for the AVETMISS 8.0 export: plain dataclasses, no Flask and no database.

Coded fields hold the AVETMISS code as a string (see codes.py); optional text fields default to "".
They are not frozen: a frozen dataclass takes six times as long to build (each field is set through
object.__setattr__), and a year's export builds one per learner and per unit; nothing here changes them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date


@dataclass
class Organisation:
    """The training organisation (NAT00010); a submission has exactly one."""

    identifier: str
    name: str
    contact_name: str = ""
    telephone: str = ""
    facsimile: str = ""
    email: str = ""
    # Kept for the web app and state collections; the 8.0 national NAT00010 leaves positions 111-268 blank.
    type_identifier: str = ""
    address_first_line: str = ""
    address_second_line: str = ""
    suburb: str = ""
    postcode: str = ""
    state: str = ""


@dataclass
class DeliveryLocation:
    """A training delivery location (NAT00020)."""

    identifier: str
    name: str
    postcode: str
    state: str
    suburb: str
    country: str = "1101"


@dataclass
class Program:
    """A qualification, course or skill set (NAT00030)."""

    identifier: str
    name: str
    nominal_hours: int | None


@dataclass
class Subject:
    """A unit of competency or module (NAT00060)."""

    identifier: str
    name: str
    field_of_education: str
    vet_flag: str
    nominal_hours: int | None


@dataclass
class Client:
    """A learner (NAT00080); `identifier` is the RTO's own client id, never the USI."""

    identifier: str
    family_name: str
    given_names: str
    highest_school_level: str
    gender: str
    date_of_birth: date | None
    postcode: str
    indigenous_status: str
    language: str
    labour_force_status: str
    country_of_birth: str
    disability_flag: str
    prior_education_flag: str
    at_school_flag: str
    suburb: str
    state: str
    usi: str
    survey_contact_status: str
    building: str = ""
    flat_unit: str = ""
    street_number: str = ""
    street_name: str = ""

    @property
    def name_for_encryption(self) -> str:
        """Family name, comma, space, given names; a single name is reported as the family name alone."""
        family, given = (self.family_name or "").strip(), (self.given_names or "").strip()
        return f"{family}, {given}" if family and given else family or given

    @property
    def display_name(self) -> str:
        """The name a person reading a problem list recognises."""
        return " ".join(
            part.strip() for part in (self.given_names, self.family_name) if part and part.strip()
        )


@dataclass
class ClientContact:
    """A client's contact and postal details (NAT00085)."""

    client_id: str
    family_name: str
    suburb: str
    postcode: str
    state: str
    given_name: str = ""
    title: str = ""
    building: str = ""
    flat_unit: str = ""
    street_number: str = ""
    street_name: str = ""
    postal_delivery_box: str = ""
    phone_home: str = ""
    phone_work: str = ""
    phone_mobile: str = ""
    email: str = ""
    email_alternative: str = ""


@dataclass
class Disability:
    """One disability, impairment or long-term condition of a client (NAT00090)."""

    client_id: str
    disability_type: str


@dataclass
class PriorEducation:
    """One prior educational achievement of a client (NAT00100)."""

    client_id: str
    achievement: str
    recognition: str = ""  # Victorian field (A/E/I): validated, not written to the national file


@dataclass
class TrainingActivity:
    """One subject for one client at one delivery location (NAT00120); program_id "" means subject only."""

    delivery_location_id: str
    client_id: str
    subject_id: str
    program_id: str
    start_date: date | None
    end_date: date | None
    delivery_mode: str
    predominant_delivery_mode: str
    outcome: str
    funding_source: str
    commencing_program: str
    study_reason: str
    vet_in_schools: str = "N"
    school_type: str = ""
    training_contract_id: str = ""
    client_id_apprenticeships: str = ""
    specific_funding_id: str = ""
    outcome_training_organisation: str = ""
    funding_source_state: str = ""
    client_tuition_fee: int | None = None
    fee_exemption: str = ""
    purchasing_contract_id: str = ""
    purchasing_contract_schedule_id: str = ""
    hours_attended: int | None = None
    associated_course_id: str = ""
    scheduled_hours: int | None = None


@dataclass
class ProgramCompletion:
    """A program a client completed (NAT00130)."""

    program_id: str
    client_id: str
    date_completed: date | None
    issued_flag: str


@dataclass
class Learner:
    """A client with their further records, for a source that reads them together (one database row per
    learner): NAT00080, NAT00085, NAT00090 and NAT00100 are then filled in one pass over the learners."""

    client: Client
    contact: ClientContact | None = None
    disabilities: Iterable[Disability] = ()
    prior_educations: Iterable[PriorEducation] = ()


@dataclass
class Submission:
    """Everything one AVETMISS submission reports for one collection (calendar) year.

    The collections are tuples, or streams (re-iterable, e.g. from a database) that validation and
    writing read once each, in file order, so a large year is never held in memory. Clients and their
    further records come as separate collections, or together as `learners`, or both.
    """

    collection_year: int
    organisation: Organisation
    delivery_locations: Iterable[DeliveryLocation] = ()
    programs: Iterable[Program] = ()
    subjects: Iterable[Subject] = ()
    clients: Iterable[Client] = ()
    learners: Iterable[Learner] = ()
    client_contacts: Iterable[ClientContact] = ()
    disabilities: Iterable[Disability] = ()
    prior_educations: Iterable[PriorEducation] = ()
    training_activities: Iterable[TrainingActivity] = ()
    program_completions: Iterable[ProgramCompletion] = ()

    @property
    def period_start(self) -> date:
        """1 January of the collection year."""
        return date(self.collection_year, 1, 1)

    @property
    def period_end(self) -> date:
        """31 December of the collection year."""
        return date(self.collection_year, 12, 31)
