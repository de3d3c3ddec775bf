"""Accounts: users, roles, learner records, cohorts, enrolments and signing in."""
