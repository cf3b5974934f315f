"""Outgoing email. Every message is kept; it is sent at once when a mail server is configured."""

import smtplib
from email.message import EmailMessage

from flask import current_app
from sqlalchemy import select

from portal.data.db import db_session
from portal.data.models import OutboxMessage, utcnow


def send_email(to_address: str, subject: str, body: str) -> OutboxMessage:
    message = OutboxMessage(to_address=to_address, subject=subject, body=body)
    session = db_session()
    session.add(message)
    session.commit()
    if current_app.config["MAIL_SERVER"]:
        _deliver(message)
        message.sent_at = utcnow()
        session.commit()
    return message


def _deliver(message: OutboxMessage) -> None:
    config = current_app.config
    email = EmailMessage()
    email["From"] = config["MAIL_FROM"]
    email["To"] = message.to_address
    email["Subject"] = message.subject
    email.set_content(message.body)
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as smtp:
        smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(email)


def recent_messages(limit: int = 50) -> list[OutboxMessage]:
    return list(db_session().scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(limit)))
