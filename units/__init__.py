"""Units of competency: the standard that learning and assessment are mapped to."""
