CREATE TABLE `key_order` (
	`pool` text NOT NULL,
	`channel_id` text NOT NULL,
	`keys_fingerprint` text NOT NULL,
	`demoted` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`pool`, `channel_id`)
);
