"""Council-editable content: the questionnaire and the RAS configuration, loaded and validated once."""
