"""AVETMISS 8.0 code tables: code -> human-readable label, used for validation and as form choices.

Sources (see README.md): bluedogtraining/avetmiss `src/Config/V8.php` (MIT) for most tables, NCVER's
outcome definitions as quoted in the shared domain notes (§2.6), ryan-senn/avetmiss `lib/config.ex` to
cross-check. LANGUAGE and COUNTRY list common codes only: the ABS ASCL and SACC classifications are not
bundled, so validation accepts any four-digit code there and these dicts are the short list of choices.
"""

from __future__ import annotations

NOT_STATED = "@"

GENDER = {"M": "Male", "F": "Female", "X": "Other", "@": "Not stated"}

INDIGENOUS_STATUS = {
    "1": "Yes, Aboriginal",
    "2": "Yes, Torres Strait Islander",
    "3": "Yes, both Aboriginal and Torres Strait Islander",
    "4": "No, neither Aboriginal nor Torres Strait Islander",
    "@": "Not stated",
}

# Main language other than English spoken at home (ABS ASCL); 1201 means the client speaks only English.
LANGUAGE = {
    "1201": "English only",
    "4202": "Arabic",
    "7101": "Cantonese",
    "2101": "French",
    "1301": "German",
    "2201": "Greek",
    "5203": "Hindi",
    "6504": "Indonesian",
    "2401": "Italian",
    "7201": "Japanese",
    "7301": "Korean",
    "7104": "Mandarin",
    "5206": "Nepali",
    "4106": "Persian (excluding Dari)",
    "5207": "Punjabi",
    "3302": "Russian",
    "2303": "Spanish",
    "6511": "Tagalog",
    "5103": "Tamil",
    "6402": "Thai",
    "5212": "Urdu",
    "6302": "Vietnamese",
    "9701": "Auslan",
    "@@@@": "Not stated",
}

# Country of birth (ABS SACC).
COUNTRY = {
    "1101": "Australia",
    "1201": "New Zealand",
    "2102": "England",
    "2201": "Ireland",
    "3104": "Italy",
    "5202": "Indonesia",
    "5203": "Malaysia",
    "5204": "Philippines",
    "5105": "Vietnam",
    "6101": "China (excludes SARs and Taiwan)",
    "6102": "Hong Kong (SAR of China)",
    "7103": "India",
    "7105": "Nepal",
    "7106": "Pakistan",
    "7107": "Sri Lanka",
    "8104": "United States of America",
    "@@@@": "Not stated",
}

LABOUR_FORCE_STATUS = {
    "01": "Full-time employee",
    "02": "Part-time employee",
    "03": "Self-employed, not employing others",
    "04": "Self-employed, employing others",
    "05": "Employed, unpaid worker in a family business",
    "06": "Unemployed, seeking full-time work",
    "07": "Unemployed, seeking part-time work",
    "08": "Not employed, not seeking employment",
    "@@": "Not stated",
}

DISABILITY_TYPE = {
    "11": "Hearing/deaf",
    "12": "Physical",
    "13": "Intellectual",
    "14": "Learning",
    "15": "Mental illness",
    "16": "Acquired brain impairment",
    "17": "Vision",
    "18": "Medical condition",
    "19": "Other",
    "99": "Not specified",
}

PRIOR_EDUCATIONAL_ACHIEVEMENT = {
    "008": "Bachelor degree or higher degree",
    "410": "Advanced diploma or associate degree",
    "420": "Diploma (or associate diploma)",
    "511": "Certificate IV (or advanced certificate/technician)",
    "514": "Certificate III (or trade certificate)",
    "521": "Certificate II",
    "524": "Certificate I",
    "990": "Certificates other than the above (miscellaneous education)",
}

# Victorian state field only: not written to the national NAT00100 (see README.md).
PRIOR_EDUCATION_RECOGNITION = {
    "A": "Australian qualification",
    "E": "Australian equivalent",
    "I": "International",
}

HIGHEST_SCHOOL_LEVEL = {
    "12": "Completed Year 12",
    "11": "Completed Year 11",
    "10": "Completed Year 10",
    "09": "Completed Year 9 or equivalent",
    "08": "Completed Year 8 or below",
    "02": "Did not go to school",
    "@@": "Not stated",
}

STATE = {
    "01": "New South Wales",
    "02": "Victoria",
    "03": "Queensland",
    "04": "South Australia",
    "05": "Western Australia",
    "06": "Tasmania",
    "07": "Northern Territory",
    "08": "Australian Capital Territory",
    "09": "Other Australian territories or dependencies",
    "99": "Other (overseas but not an Australian territory or dependency)",
}

SURVEY_CONTACT_STATUS = {
    "A": "Available for survey use",
    "C": "Correctional facility (address or enrolment)",
    "D": "Deceased student",
    "E": "Excluded from survey use",
    "I": "Invalid address or itinerant student",
    "M": "Minor, under 15 (not to be surveyed)",
    "O": "Overseas (address or enrolment)",
}

OUTCOME_NATIONAL = {
    "20": "Competency achieved/pass",
    "30": "Competency not achieved/fail",
    "40": "Withdrawn/discontinued",
    "41": "Incomplete due to RTO closure",
    "51": "Recognition of prior learning granted",
    "52": "Recognition of prior learning not granted",
    "60": "Credit transfer/national recognition",
    "61": "Superseded subject",
    "70": "Continuing activity",
    "81": "Non-assessable activity, satisfactorily completed",
    "82": "Non-assessable activity, withdrawn or not satisfactorily completed",
    "85": "Not yet started",
}
RPL_OR_CREDIT_TRANSFER = frozenset({"51", "52", "60"})
CONTINUING = "70"
NOT_YET_STARTED = "85"
FINISHED_OUTCOMES = frozenset(OUTCOME_NATIONAL) - {CONTINUING, NOT_YET_STARTED}

# Three Y/N flags, in order: internal, external, workplace-based delivery.
DELIVERY_MODE = {
    "YNN": "Internal only",
    "NYN": "External only",
    "NNY": "Workplace-based only",
    "YYN": "Internal and external",
    "YNY": "Internal and workplace-based",
    "NYY": "External and workplace-based",
    "YYY": "Internal, external and workplace-based",
    "NNN": "Not applicable (recognition of prior learning or credit transfer)",
}
NOT_APPLICABLE_DELIVERY = "NNN"

PREDOMINANT_DELIVERY_MODE = {
    "I": "Internal delivery (e.g. classroom)",
    "E": "External delivery (e.g. online)",
    "W": "Workplace-based delivery",
    "N": "Not applicable (recognition of prior learning or credit transfer)",
}
NOT_APPLICABLE_PREDOMINANT = "N"
# Which of the three delivery mode flags each predominant mode needs to be Y.
PREDOMINANT_FLAG_POSITION = {"I": 0, "E": 1, "W": 2}

FUNDING_SOURCE_NATIONAL = {
    "11": "Commonwealth and state general purpose recurrent",
    "13": "Commonwealth specific purpose programs",
    "15": "State specific purpose programs",
    "20": "Domestic full fee-paying client",
    "30": "International full fee-paying client",
    "80": "Revenue earned from another registered training organisation",
}

COMMENCING_PROGRAM = {
    "3": "Commencing enrolment in the program",
    "4": "Continuing enrolment in the program from a previous year",
    "8": "Subject enrolment only (not part of a program)",
}
SUBJECT_ONLY = "8"

STUDY_REASON = {
    "01": "To get a job",
    "02": "To develop my existing business",
    "03": "To start my own business",
    "04": "To try for a different career",
    "05": "To get a better job or promotion",
    "06": "It was a requirement of my job",
    "07": "I wanted extra skills for my job",
    "08": "To get into another course of study",
    "11": "Other reasons",
    "12": "For personal interest or self-development",
    "13": "To get skills for community/voluntary work",
    "@@": "Not stated",
}

SCHOOL_TYPE = {
    "21": "School, Government",
    "25": "School, Catholic",
    "27": "School, Independent",
    "31": "Technical and further education institute",
    "61": "Community-based adult education provider",
    "91": "Privately operated registered training organisation",
    "92": "Home school arrangement",
}

VET_FLAG = {"Y": "Yes, vocational", "N": "No, not vocational"}
YES_NO = {"Y": "Yes", "N": "No"}
YES_NO_NOT_STATED = {"Y": "Yes", "N": "No", "@": "Not stated"}

# USI exemption codes reported in place of a USI (international offshore client; individual exemption).
USI_EXEMPTIONS = {"INTOFF": "International student studying offshore", "INDIV": "Individual exemption"}
