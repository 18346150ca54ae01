// flowTriggerReceive: records the call for the shop and answers the validation the captures show
// (../flow.ts; emulator/README.md, "Flow").
import { receiveTrigger } from "../flow";
import type { ResolverMap } from "./context";

export const flowMutationResolvers: ResolverMap = {
  Mutation: {
    flowTriggerReceive: (
      _s,
      args: { body?: string | null; handle?: string | null; payload?: unknown },
      context,
    ) => receiveTrigger(context.store, context.shop, args, context.clock.now()),
  },
  FlowTriggerReceivePayload: { userErrors: true },
};
