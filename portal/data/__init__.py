"""The database: ORM models and one query module per aggregate. Blueprints call the query modules."""
