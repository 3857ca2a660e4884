CREATE TABLE `response_sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`conversation_id` text NOT NULL,
	`previous_response_id` text,
	`channel_id` text NOT NULL,
	`model` text NOT NULL,
	`input` text NOT NULL,
	`response` text NOT NULL,
	`conversation_bytes` integer NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `response_sessions_conversation` ON `response_sessions` (`conversation_id`);--> statement-breakpoint
CREATE INDEX `response_sessions_expires` ON `response_sessions` (`expires_at`);