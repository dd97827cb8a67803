-- The waiting room opens only once the lifecycle has stayed saturated for a while (docs/waiting-room.md), so a
-- burst it clears at once never shuts the shop: the row keeps since when it has been saturated, as every replica
-- that may lead the room next must know it.
ALTER TABLE "waiting_room" ADD COLUMN "saturated_since" TIMESTAMPTZ(3);
