"""Records: certificates and their register, verification, exports and reports."""
