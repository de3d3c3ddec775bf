"""Courseware: the learning modules, their delivery, and each learner's progress."""
