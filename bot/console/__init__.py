"""The staff console: a server-rendered web app for clinic staff (inbox, reminders, deliveries, schedule,
clinic facts, staff accounts, audit), its own process on CONSOLE_PORT, reading and writing through `bot`
services only."""
