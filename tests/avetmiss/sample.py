"""A small hand-made submission that touches every NAT file; the golden files are written from it by hand."""

from __future__ import annotations

from datetime import date

from records.avetmiss import (
    Client,
    ClientContact,
    DeliveryLocation,
    Disability,
    Organisation,
    PriorEducation,
    Program,
    ProgramCompletion,
    Subject,
    Submission,
    TrainingActivity,
)

ORGANISATION = Organisation(
    identifier="90001",
    name="Example Training Pty Ltd",
    contact_name="Lee Chan",
    telephone="0299998888",
    email="rto@example.com.au",
    type_identifier="91",  # not written: 8.0 leaves positions 111-268 blank
    address_first_line="1 Example Street",
    suburb="SYDNEY",
    postcode="2000",
    state="01",
)

LOCATION = DeliveryLocation("MAIN", "Sydney campus", postcode="2000", state="01", suburb="SYDNEY")
PROGRAM = Program("BSB30120", "Certificate III in Business", nominal_hours=435)
SUBJECTS = (
    Subject("BSBCRT311", "Apply critical thinking skills in a team environment", "080901", "Y", 40),
    Subject("BSBTEC301", "Design and produce business documents", "080905", "Y", 60),
    Subject("BSBWHS311", "Assist with maintaining workplace safety", "061301", "Y", 40),
)

JANE = Client(
    identifier="1001",
    family_name="Citizen",
    given_names="Jane Maree",
    highest_school_level="12",
    gender="F",
    date_of_birth=date(1990, 5, 17),
    postcode="2000",
    indigenous_status="4",
    language="1201",
    labour_force_status="01",
    country_of_birth="1101",
    disability_flag="Y",
    prior_education_flag="Y",
    at_school_flag="N",
    suburb="SYDNEY",
    state="01",
    usi="7QRP3KV395",
    survey_contact_status="A",
    flat_unit="Unit 4",
    street_number="12",
    street_name="George Street",
)

AN = Client(
    identifier="1002",
    family_name="Nguyễn",  # written as "Nguyen": accents are transliterated
    given_names="Văn An",
    highest_school_level="10",
    gender="M",
    date_of_birth=date(2001, 11, 3),
    postcode="3000",
    indigenous_status="@",
    language="6302",
    labour_force_status="06",
    country_of_birth="5105",
    disability_flag="N",
    prior_education_flag="N",
    at_school_flag="N",
    suburb="MELBOURNE",
    state="02",
    usi="UDNM3W6KUS",
    survey_contact_status="A",
    building="Harbour Towers",
    street_number="200",
    street_name="Collins Street",
)

CONTACTS = (
    ClientContact(
        "1001",
        family_name="Citizen",
        given_name="Jane",
        title="Ms",
        flat_unit="Unit 4",
        street_number="12",
        street_name="George Street",
        suburb="SYDNEY",
        postcode="2000",
        state="01",
        phone_mobile="0412345678",
        email="jane@example.com",
    ),
    ClientContact(
        "1002",
        family_name="Nguyen",
        given_name="An",
        postal_delivery_box="PO Box 77",
        suburb="MELBOURNE",
        postcode="3000",
        state="02",
        phone_home="0390001111",
    ),
)


def _activity(
    client: str, subject: str, program: str, start: date, end: date, **codes: object
) -> TrainingActivity:
    return TrainingActivity("MAIN", client, subject, program, start, end, **codes)


ACTIVITIES = (
    _activity("1001", "BSBCRT311", "BSB30120", date(2024, 2, 5), date(2024, 3, 28), delivery_mode="YNN",
              predominant_delivery_mode="I", outcome="20", funding_source="20", commencing_program="3",
              study_reason="01", hours_attended=38),
    _activity("1001", "BSBWHS311", "BSB30120", date(2024, 2, 5), date(2024, 2, 5), delivery_mode="NNN",
              predominant_delivery_mode="N", outcome="51", funding_source="20", commencing_program="3",
              study_reason="01"),
    _activity("1001", "BSBTEC301", "BSB30120", date(2024, 4, 1), date(2024, 6, 30), delivery_mode="YNY",
              predominant_delivery_mode="W", outcome="30", funding_source="20", commencing_program="3",
              study_reason="01"),
    _activity("1002", "BSBTEC301", "", date(2024, 9, 2), date(2025, 3, 14), delivery_mode="NYN",
              predominant_delivery_mode="E", outcome="70", funding_source="20", commencing_program="8",
              study_reason="12", client_tuition_fee=450),
)  # fmt: skip


def sample_submission() -> Submission:
    """The clean submission the golden files describe."""
    return Submission(
        collection_year=2024,
        organisation=ORGANISATION,
        delivery_locations=(LOCATION,),
        programs=(PROGRAM,),
        subjects=SUBJECTS,
        clients=(JANE, AN),
        client_contacts=CONTACTS,
        disabilities=(Disability("1001", "12"),),
        prior_educations=(PriorEducation("1001", "524", recognition="A"),),
        training_activities=ACTIVITIES,
        program_completions=(ProgramCompletion("BSB30120", "1001", date(2024, 11, 29), "Y"),),
    )
