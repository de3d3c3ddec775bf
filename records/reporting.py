"""From the database to an AVETMISS submission for one calendar year (the format is records/avetmiss)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from accounts.models import Enrolment, LearnerProfile, User
from assessments.models import Outcome
from content import default_catalogue
from database import db

from . import avetmiss
from .avetmiss import codes
from .certificates import latest_outcomes

CONTINUING = "70"


def organisation(config: Mapping) -> tuple[avetmiss.Organisation, avetmiss.DeliveryLocation]:
    """The RTO and its delivery location, from configuration (see README: RTO_*)."""
    org = avetmiss.Organisation(
        identifier=config["RTO_CODE"],
        name=config["RTO_NAME"],
        contact_name=config.get("RTO_CONTACT") or "",
        telephone=config.get("RTO_PHONE") or "",
        email=config.get("RTO_EMAIL") or "",
        suburb=config.get("RTO_SUBURB") or "",
        postcode=config.get("RTO_POSTCODE") or "",
        state=config.get("RTO_STATE") or "",
    )
    location = avetmiss.DeliveryLocation(
        identifier=config.get("DELIVERY_LOCATION_ID") or "ONLINE",
        name=config.get("DELIVERY_LOCATION_NAME") or f"{config['RTO_NAME']} online campus",
        postcode=config.get("RTO_POSTCODE") or "2000",
        state=config.get("RTO_STATE") or "01",
        suburb=config.get("RTO_SUBURB") or "Sydney",
    )
    return org, location


def _activity(
    enrolment: Enrolment, outcome: Outcome | None, year: int, location_id: str, client_id: str
) -> avetmiss.TrainingActivity:
    """One unit for one learner. Outcomes decided after the year are reported as continuing in it."""
    year_end = dt.date(year, 12, 31)
    decided = outcome and outcome.end_date and outcome.end_date <= year_end
    code = outcome.code if decided else CONTINUING
    end = (
        outcome.end_date
        if decided
        else max(enrolment.start_date + dt.timedelta(days=365), dt.date(year + 1, 1, 31))
    )
    recognised = code in codes.RPL_OR_CREDIT_TRANSFER
    return avetmiss.TrainingActivity(
        delivery_location_id=location_id,
        client_id=client_id,
        subject_id=enrolment.unit_code,
        program_id="",
        start_date=enrolment.start_date,
        end_date=end,
        delivery_mode=codes.NOT_APPLICABLE_DELIVERY if recognised else enrolment.delivery_mode,
        predominant_delivery_mode=codes.NOT_APPLICABLE_PREDOMINANT
        if recognised
        else enrolment.predominant_delivery_mode,
        outcome=code,
        funding_source=enrolment.funding_source,
        commencing_program=codes.SUBJECT_ONLY,
        study_reason=enrolment.study_reason,
    )


def _client(user: User) -> avetmiss.Client:
    p = user.learner
    return avetmiss.Client(
        identifier=p.client_id,
        family_name=user.family_name,
        given_names=user.given_names,
        highest_school_level=p.highest_school_level,
        gender=p.gender,
        date_of_birth=p.date_of_birth,
        postcode=p.postcode or "@@@@",
        indigenous_status=p.indigenous_status,
        language=p.language,
        labour_force_status=p.labour_force_status,
        country_of_birth=p.country_of_birth,
        disability_flag=p.disability_flag,
        prior_education_flag=p.prior_education_flag,
        at_school_flag=p.at_school,
        suburb=p.suburb,
        state=p.state or "99",
        usi=p.usi_exemption or p.usi or "",
        survey_contact_status=p.survey_contact_status,
        building=p.building,
        flat_unit=p.flat_unit,
        street_number=p.street_number,
        street_name=p.street_name,
    )


def _contact(user: User) -> avetmiss.ClientContact:
    p = user.learner
    return avetmiss.ClientContact(
        client_id=p.client_id,
        family_name=user.family_name,
        given_name=user.given_names,
        suburb=p.suburb,
        postcode=p.postcode or "@@@@",
        state=p.state or "99",
        building=p.building,
        flat_unit=p.flat_unit,
        street_number=p.street_number,
        street_name=p.street_name,
        postal_delivery_box=p.postal_delivery_box,
        phone_mobile=p.phone_mobile,
        email=user.email,
    )


def submission(year: int, config: Mapping) -> avetmiss.Submission:
    """Every unit enrolment whose activity overlaps the year, with its learners and units."""
    org, location = organisation(config)
    latest = latest_outcomes()
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    rows = db.session.execute(
        select(Enrolment, Outcome)
        .outerjoin(latest, latest.c.enrolment_id == Enrolment.id)
        .outerjoin(Outcome, Outcome.id == latest.c.outcome_id)
        .where(Enrolment.start_date <= last, or_(Outcome.end_date.is_(None), Outcome.end_date >= first))
        .options(selectinload(Enrolment.learner).selectinload(User.learner))
        .order_by(Enrolment.learner_id, Enrolment.unit_code)
    ).all()
    learners = {e.learner_id: e.learner for e, _ in rows if e.learner.learner}
    catalogue = default_catalogue()
    subjects = sorted({e.unit_code for e, _ in rows})
    profiles: list[LearnerProfile] = [u.learner for u in learners.values()]
    return avetmiss.Submission(
        collection_year=year,
        organisation=org,
        delivery_locations=(location,),
        subjects=tuple(
            avetmiss.Subject(
                code,
                catalogue[code].title,
                catalogue[code].field_of_education,
                "Y",
                catalogue[code].nominal_hours,
            )
            for code in subjects
        ),
        clients=tuple(_client(u) for u in learners.values()),
        client_contacts=tuple(_contact(u) for u in learners.values()),
        disabilities=tuple(
            avetmiss.Disability(p.client_id, t)
            for p in profiles
            if p.disability_flag == "Y"
            for t in p.disability_types
        ),
        prior_educations=tuple(
            avetmiss.PriorEducation(p.client_id, a)
            for p in profiles
            if p.prior_education_flag == "Y"
            for a in p.prior_achievements
        ),
        training_activities=tuple(
            _activity(e, o, year, location.identifier, learners[e.learner_id].learner.client_id)
            for e, o in rows
            if e.learner_id in learners
        ),
    )
