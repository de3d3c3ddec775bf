"""`python -m content`: check all content without a Flask app (an aid for authors)."""

from content import check

print("\n".join(check()) or "All content is valid and every requirement is covered.")
