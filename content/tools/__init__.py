"""The patient and caregiver tools: the cycle calendar, site search, the take-along sheets and the
glossary page. They read the content model; nothing below them imports them."""
