"""The assistant's custom actions: thin, with the pure lookups in glossary_lookup.py."""
