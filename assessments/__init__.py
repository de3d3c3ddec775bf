"""Assessment: the tools for each unit, learners' attempts, and marking."""
