/** How long before a channel's token stops working its people are warned (the channel's badge, the admins' bell): two weeks leaves time to get a new one from the network. */
export const TOKEN_WARNING_DAYS = 14;
