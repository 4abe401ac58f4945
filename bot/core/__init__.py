"""What every feature shares: command router, messenger port, replies, i18n, dates, mrkdwn."""
