"""Fixed-width record layouts of the ten AVETMISS 8.0 NAT files, as data (provenance in README.md).

Each Field names the record value it is written from (`key`, None for positions always left blank), its
1-based start column, length and type: "A" alphanumeric, "N" numeric, "D" date (DDMMYYYY).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from . import codes


@dataclass(frozen=True)
class Field:
    """One field of a fixed-width record."""

    name: str
    start: int
    length: int
    kind: str
    key: str | None = None
    required: bool = False
    codes: Mapping[str, str] | None = None

    @property
    def end(self) -> int:
        """The 1-based column of the field's last character."""
        return self.start + self.length - 1


@dataclass(frozen=True)
class Layout:
    """The record layout of one NAT file."""

    file: str
    title: str
    fields: tuple[Field, ...]

    @property
    def record_length(self) -> int:
        """Characters in one record, without the CR LF."""
        return self.fields[-1].end

    def field(self, key: str) -> Field:
        """The field written from record value `key`."""
        return next(field for field in self.fields if field.key == key)


def _required(
    name: str, start: int, length: int, kind: str, key: str, table: Mapping[str, str] | None = None
) -> Field:
    """A field that must not be blank."""
    return Field(name, start, length, kind, key, required=True, codes=table)


NAT00010 = Layout(
    "NAT00010",
    "Training organisation",
    (
        _required("Training organisation identifier", 1, 10, "A", "identifier"),
        _required("Training organisation name", 11, 100, "A", "name"),
        Field("Blank in 8.0 (type, address, postcode, state)", 111, 158, "A"),
        Field("Contact name", 269, 60, "A", "contact_name"),
        Field("Telephone number", 329, 20, "A", "telephone"),
        Field("Facsimile number", 349, 20, "A", "facsimile"),
        Field("Email address", 369, 80, "A", "email"),
    ),
)

NAT00020 = Layout(
    "NAT00020",
    "Training organisation delivery location",
    (
        _required("Training organisation identifier", 1, 10, "A", "organisation_id"),
        _required("Training organisation delivery location identifier", 11, 10, "A", "identifier"),
        _required("Training organisation delivery location name", 21, 100, "A", "name"),
        _required("Postcode", 121, 4, "A", "postcode"),
        _required("State identifier", 125, 2, "N", "state", codes.STATE),
        _required("Address location - suburb, locality or town", 127, 50, "A", "suburb"),
        _required("Country identifier", 177, 4, "A", "country"),
    ),
)

NAT00030 = Layout(
    "NAT00030",
    "Program",
    (
        _required("Program identifier", 1, 10, "A", "identifier"),
        _required("Program name", 11, 100, "A", "name"),
        _required("Nominal hours", 111, 4, "N", "nominal_hours"),
    ),
)

NAT00060 = Layout(
    "NAT00060",
    "Subject",
    (
        _required("Subject identifier", 1, 12, "A", "identifier"),
        _required("Subject name", 13, 100, "A", "name"),
        _required("Subject field of education identifier", 113, 6, "A", "field_of_education"),
        _required("VET flag", 119, 1, "A", "vet_flag", codes.VET_FLAG),
        _required("Nominal hours", 120, 4, "N", "nominal_hours"),
    ),
)

NAT00080 = Layout(
    "NAT00080",
    "Client",
    (
        _required("Client identifier", 1, 10, "A", "identifier"),
        _required("Name for encryption", 11, 60, "A", "name_for_encryption"),
        _required(
            "Highest school level completed identifier",
            71,
            2,
            "A",
            "highest_school_level",
            codes.HIGHEST_SCHOOL_LEVEL,
        ),
        _required("Gender", 73, 1, "A", "gender", codes.GENDER),
        _required("Date of birth", 74, 8, "D", "date_of_birth"),
        _required("Postcode", 82, 4, "A", "postcode"),
        _required("Indigenous status identifier", 86, 1, "A", "indigenous_status", codes.INDIGENOUS_STATUS),
        _required("Language identifier", 87, 4, "A", "language"),
        _required(
            "Labour force status identifier", 91, 2, "A", "labour_force_status", codes.LABOUR_FORCE_STATUS
        ),
        _required("Country identifier", 93, 4, "A", "country_of_birth"),
        _required("Disability flag", 97, 1, "A", "disability_flag", codes.YES_NO_NOT_STATED),
        _required(
            "Prior educational achievement flag", 98, 1, "A", "prior_education_flag", codes.YES_NO_NOT_STATED
        ),
        _required("At school flag", 99, 1, "A", "at_school_flag", codes.YES_NO_NOT_STATED),
        _required("Address location - suburb, locality or town", 100, 50, "A", "suburb"),
        _required("Unique student identifier", 150, 10, "A", "usi"),
        _required("State identifier", 160, 2, "N", "state", codes.STATE),
        Field("Address building/property name", 162, 50, "A", "building"),
        Field("Address flat/unit details", 212, 30, "A", "flat_unit"),
        Field("Address street number", 242, 15, "A", "street_number"),
        Field("Address street name", 257, 70, "A", "street_name"),
        _required("Survey contact status", 327, 1, "A", "survey_contact_status", codes.SURVEY_CONTACT_STATUS),
    ),
)

NAT00085 = Layout(
    "NAT00085",
    "Client contact details",
    (
        _required("Client identifier", 1, 10, "A", "client_id"),
        Field("Client title", 11, 4, "A", "title"),
        Field("Client first given name", 15, 40, "A", "given_name"),
        _required("Client family name", 55, 40, "A", "family_name"),
        Field("Address building/property name", 95, 50, "A", "building"),
        Field("Address flat/unit details", 145, 30, "A", "flat_unit"),
        Field("Address street number", 175, 15, "A", "street_number"),
        Field("Address street name", 190, 70, "A", "street_name"),
        Field("Address postal delivery box", 260, 22, "A", "postal_delivery_box"),
        _required("Address location - suburb, locality or town", 282, 50, "A", "suburb"),
        _required("Postcode", 332, 4, "A", "postcode"),
        _required("State identifier", 336, 2, "N", "state", codes.STATE),
        Field("Telephone number - home", 338, 20, "A", "phone_home"),
        Field("Telephone number - work", 358, 20, "A", "phone_work"),
        Field("Telephone number - mobile", 378, 20, "A", "phone_mobile"),
        Field("Email address", 398, 80, "A", "email"),
        Field("Email address - alternative", 478, 80, "A", "email_alternative"),
    ),
)

NAT00090 = Layout(
    "NAT00090",
    "Disability",
    (
        _required("Client identifier", 1, 10, "A", "client_id"),
        _required("Disability type identifier", 11, 2, "A", "disability_type", codes.DISABILITY_TYPE),
    ),
)

NAT00100 = Layout(
    "NAT00100",
    "Prior educational achievement",
    (
        _required("Client identifier", 1, 10, "A", "client_id"),
        _required(
            "Prior educational achievement identifier",
            11,
            3,
            "N",
            "achievement",
            codes.PRIOR_EDUCATIONAL_ACHIEVEMENT,
        ),
    ),
)

NAT00120 = Layout(
    "NAT00120",
    "Training activity",
    (
        _required("Training organisation identifier", 1, 10, "A", "organisation_id"),
        _required("Training organisation delivery location identifier", 11, 10, "A", "delivery_location_id"),
        _required("Client identifier", 21, 10, "A", "client_id"),
        _required("Subject identifier", 31, 12, "A", "subject_id"),
        Field("Program identifier", 43, 10, "A", "program_id"),
        _required("Activity start date", 53, 8, "D", "start_date"),
        _required("Activity end date", 61, 8, "D", "end_date"),
        _required("Delivery mode identifier", 69, 3, "A", "delivery_mode", codes.DELIVERY_MODE),
        _required("Outcome identifier - national", 72, 2, "N", "outcome", codes.OUTCOME_NATIONAL),
        _required("Funding source - national", 74, 2, "N", "funding_source", codes.FUNDING_SOURCE_NATIONAL),
        _required(
            "Commencing program identifier", 76, 1, "N", "commencing_program", codes.COMMENCING_PROGRAM
        ),
        Field("Training contract identifier", 77, 10, "A", "training_contract_id"),
        Field("Client identifier - apprenticeships", 87, 10, "A", "client_id_apprenticeships"),
        _required("Study reason identifier", 97, 2, "A", "study_reason", codes.STUDY_REASON),
        _required("VET in schools flag", 99, 1, "A", "vet_in_schools", codes.YES_NO),
        Field("Specific funding identifier", 100, 10, "A", "specific_funding_id"),
        Field("School type identifier", 110, 2, "N", "school_type", codes=codes.SCHOOL_TYPE),
        Field("Outcome identifier - training organisation", 112, 3, "A", "outcome_training_organisation"),
        Field("Funding source - state training authority", 115, 3, "A", "funding_source_state"),
        Field("Client tuition fee", 118, 5, "N", "client_tuition_fee"),
        Field("Fee exemption/concession type identifier", 123, 2, "A", "fee_exemption"),
        Field("Purchasing contract identifier", 125, 12, "A", "purchasing_contract_id"),
        Field("Purchasing contract schedule identifier", 137, 3, "A", "purchasing_contract_schedule_id"),
        Field("Hours attended", 140, 4, "N", "hours_attended"),
        Field("Associated course identifier", 144, 10, "A", "associated_course_id"),
        Field("Scheduled hours", 154, 4, "N", "scheduled_hours"),
        _required(
            "Predominant delivery mode",
            158,
            1,
            "A",
            "predominant_delivery_mode",
            codes.PREDOMINANT_DELIVERY_MODE,
        ),
    ),
)

NAT00130 = Layout(
    "NAT00130",
    "Program completed",
    (
        _required("Training organisation identifier", 1, 10, "A", "organisation_id"),
        _required("Program identifier", 11, 10, "A", "program_id"),
        _required("Client identifier", 21, 10, "A", "client_id"),
        _required("Date program completed", 31, 8, "D", "date_completed"),
        _required("Issued flag", 39, 1, "A", "issued_flag", codes.YES_NO),
    ),
)

LAYOUTS: dict[str, Layout] = {
    layout.file: layout
    for layout in (
        NAT00010,
        NAT00020,
        NAT00030,
        NAT00060,
        NAT00080,
        NAT00085,
        NAT00090,
        NAT00100,
        NAT00120,
        NAT00130,
    )
}
