import smtplib
import socket
from email.message import EmailMessage

import pytest
from crm_pl_testing.smtp_sink import SmtpSink

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n\x00\x01\xff binary\n%%EOF\n"


@pytest.fixture
def sink():
    server = SmtpSink()
    with server:
        yield server


def _message(subject="Faktura VAT FV/1/11/2026", body="Dzień dobry,\n"):
    message = EmailMessage()
    message["From"] = "Firma Sp. z o.o. <faktury@firma.example.pl>"
    message["To"] = "Klient Łódź <klient@example.com>"
    message["Cc"] = "ksiegowosc@example.com"
    message["Subject"] = subject
    message.set_content(body)
    message.add_attachment(
        PDF, maintype="application", subtype="pdf", filename="FV_1_11_2026.pdf"
    )
    return message


def _send(sink, message, to_addrs=None):
    with smtplib.SMTP(sink.host, sink.port, timeout=5) as smtp:
        return smtp.send_message(message, to_addrs=to_addrs)


def test_context_manager_yields_loopback_address():
    sink = SmtpSink()
    with sink as (host, port):
        assert host == "127.0.0.1"
        assert port > 0
        assert (sink.host, sink.port) == (host, port)


def test_message_with_pdf_attachment(sink):
    refused = _send(sink, _message(subject="Faktura VAT FV/1/11/2026 – zażółć"))

    assert refused == {}
    [mail] = sink.messages
    assert mail.mail_from == "faktury@firma.example.pl"
    assert mail.rcpt_tos == ["klient@example.com", "ksiegowosc@example.com"]
    assert mail.helo
    message = mail.message
    assert message["Subject"] == "Faktura VAT FV/1/11/2026 – zażółć"
    assert message["To"].addresses[0].display_name == "Klient Łódź"
    assert message.get_body(("plain",)).get_content() == "Dzień dobry,\n"
    assert mail.attachments == [("FV_1_11_2026.pdf", "application/pdf", PDF)]


def test_envelope_recipients_and_bcc(sink):
    _send(sink, _message(), to_addrs=["a@example.com", "bcc@example.com"])
    assert sink.messages[0].rcpt_tos == ["a@example.com", "bcc@example.com"]
    assert "bcc@example.com" not in sink.messages[0].data.decode()


def test_dot_stuffing(sink):
    body = ".hidden line\n..two dots\nend\n"
    _send(sink, _message(body=body))
    assert sink.messages[0].message.get_body(("plain",)).get_content() == body


def test_several_messages_in_one_session(sink):
    with smtplib.SMTP(sink.host, sink.port, timeout=5) as smtp:
        smtp.send_message(_message(subject="one"))
        smtp.send_message(_message(subject="two"))
    assert [mail.message["Subject"] for mail in sink.messages] == ["one", "two"]


def test_451_on_data_raises_smtp_data_error(sink):
    sink.fail_data = 451

    with pytest.raises(smtplib.SMTPDataError) as info:
        _send(sink, _message())

    assert info.value.smtp_code == 451
    assert sink.messages == []


def test_transient_failure_then_retry_succeeds(sink):
    sink.fail_data_next = [451, None]

    with pytest.raises(smtplib.SMTPDataError):
        _send(sink, _message())
    _send(sink, _message())
    _send(sink, _message())

    assert len(sink.messages) == 2
    assert sink.fail_data_next == []


def test_permanent_failure_code(sink):
    sink.fail_data = 554
    with pytest.raises(smtplib.SMTPDataError) as info:
        _send(sink, _message())
    assert info.value.smtp_code == 554


def test_rejected_recipient(sink):
    sink.reject_rcpt = {"ksiegowosc@example.com"}

    refused = _send(sink, _message())

    assert list(refused) == ["ksiegowosc@example.com"]
    assert refused["ksiegowosc@example.com"][0] == 550
    assert sink.messages[0].rcpt_tos == ["klient@example.com"]


def test_all_recipients_rejected(sink):
    sink.reject_rcpt = {"klient@example.com", "ksiegowosc@example.com"}
    with pytest.raises(smtplib.SMTPRecipientsRefused):
        _send(sink, _message())
    assert sink.messages == []


def test_raw_dialogue(sink):
    with socket.create_connection((sink.host, sink.port), timeout=5) as sock:
        stream = sock.makefile("rwb")

        def say(line):
            if line is not None:
                stream.write(line.encode() + b"\r\n")
                stream.flush()
            return stream.readline().decode()[:3]

        assert say(None) == "220"
        assert say("MAIL FROM:<a@example.com>") == "503"  # no HELO yet
        assert say("HELO client") == "250"
        assert say("NOOP") == "250"
        assert say("VRFY someone") == "502"
        assert say("DATA") == "503"
        assert say("MAIL FROM:<a@example.com>") == "250"
        assert say("MAIL FROM:<a@example.com>") == "503"
        assert say("RSET") == "250"
        assert say("RCPT TO:<b@example.com>") == "503"
        assert say("MAIL FROM:<> SIZE=10") == "250"  # null sender
        assert say("RCPT TO:<b@example.com>") == "250"
        assert say("DATA") == "354"
        stream.write(b"Subject: raw\r\n\r\nhello\r\n.\r\n")
        stream.flush()
        assert stream.readline().startswith(b"250")
        assert say("QUIT") == "221"

    [mail] = sink.messages
    assert (mail.mail_from, mail.rcpt_tos, mail.helo) == (
        "",
        ["b@example.com"],
        "client",
    )
    assert mail.data == b"Subject: raw\r\n\r\nhello\r\n"
    assert mail.message["Subject"] == "raw"
    assert "VRFY someone" in sink.commands
