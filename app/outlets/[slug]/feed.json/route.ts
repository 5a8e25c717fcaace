import { feedRoute } from "@/lib/feeds/handler";

export const GET = feedRoute("json", "outlet");
