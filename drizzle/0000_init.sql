CREATE TABLE `channel_suspensions` (
	`pool` text NOT NULL,
	`channel_id` text NOT NULL,
	`suspended_at` integer NOT NULL,
	`suspended_until` integer NOT NULL,
	`reason` text NOT NULL,
	PRIMARY KEY(`pool`, `channel_id`)
);
