"""Choice and Control: a self-directed support portal. The Flask app lives in portal.app."""
