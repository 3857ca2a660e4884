CREATE TABLE `pricing` (
	`model` text PRIMARY KEY NOT NULL,
	`input_price` real NOT NULL,
	`output_price` real NOT NULL,
	`cache_creation_price` real,
	`cache_read_price` real,
	`description` text DEFAULT '' NOT NULL,
	`export_to_models` integer DEFAULT true NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `pricing_seed` (
	`id` integer PRIMARY KEY NOT NULL,
	`source` text NOT NULL,
	`seeded_at` integer NOT NULL
);
