// A keyspace stream (keyspace/types/stream.ts) <-> the neutral stream model of the file formats.
// Nodes cross as they are, tombstones and SAMEFIELDS flags included, so a stream loaded from
// redis-server's RDB is saved back in the same listpacks (rdbLoadObject keeps each listpack as it
// was read, and rdbSaveObject writes the radix tree's listpacks as they are).
import {
  IdMap,
  StreamValue,
  masterPartBytes,
  type ConsumerGroup,
  type PendingEntry,
  type StreamConsumer,
} from '../keyspace/types/stream.js';
import type { StreamNodeModel, StreamValue as StreamModel } from './value-model.js';

const bytes = (s: string): Buffer => Buffer.from(s, 'latin1');
const text = (b: Buffer): string => b.latin1Slice(0, b.length);

export function streamToModel(s: StreamValue): StreamModel {
  const nodes: StreamNodeModel[] = s.nodes.map((node) => ({
    masterId: node.masterId,
    masterFields: node.masterFields.map(bytes),
    entries: node.entries.map((e) => ({ id: e.id, fieldsAndValues: e.fields.map(bytes), deleted: e.deleted, sameFields: e.sameFields })),
  }));
  const entries = [];
  for (const node of nodes) for (const e of node.entries) if (!e.deleted) entries.push(e);
  return {
    entries,
    nodes,
    lastId: s.lastId,
    firstId: s.firstId,
    maxDeletedEntryId: s.maxDeletedEntryId,
    entriesAdded: s.entriesAdded,
    groups: [...s.groups.values()].map((g) => ({
      name: bytes(g.name),
      lastId: g.lastId,
      entriesRead: g.entriesRead < 0n ? BigInt.asUintN(64, g.entriesRead) : g.entriesRead,
      pending: [...g.pending.values()].map((p) => ({ id: p.id, deliveryTimeMs: p.deliveryTime, deliveryCount: p.deliveryCount })),
      consumers: [...g.consumers.values()].map((c) => ({
        name: bytes(c.name),
        seenTimeMs: c.seenTime,
        activeTimeMs: c.seenTime,
        pending: [...c.pending.values()].map((p) => p.id),
      })),
    })),
  };
}

const UINT64_MAX = (1n << 64n) - 1n;

export function streamFromModel(model: StreamModel, limits: { maxBytes: number; maxEntries: number }): StreamValue {
  const s = new StreamValue();
  if (model.nodes) {
    for (const nodeModel of model.nodes) {
      if (nodeModel.entries.length === 0) continue;
      const node = {
        masterId: nodeModel.masterId,
        masterFields: nodeModel.masterFields.map(text),
        entries: [],
        live: 0,
        deleted: 0,
        bodyBytes: masterPartBytes(nodeModel.masterFields.map(text)),
      };
      s.nodes.push(node);
      for (const e of nodeModel.entries) s.pushEntry(node, e.id, e.fieldsAndValues.map(text), e.deleted, e.sameFields);
      s.length += node.live;
    }
  } else {
    for (const e of model.entries) s.append(e.id, e.fieldsAndValues.map(text), limits);
    s.length = model.entries.length;
  }
  s.lastId = model.lastId;
  s.firstId = model.firstId;
  s.maxDeletedEntryId = model.maxDeletedEntryId;
  s.entriesAdded = model.entriesAdded;
  for (const g of model.groups) {
    const group: ConsumerGroup = {
      name: text(g.name),
      lastId: g.lastId,
      entriesRead: g.entriesRead === UINT64_MAX ? -1n : g.entriesRead,
      pending: new IdMap<PendingEntry>(),
      consumers: new Map(),
    };
    const byId = new Map<string, { deliveryTimeMs: number; deliveryCount: number }>();
    for (const p of g.pending) byId.set(`${p.id.ms}-${p.id.seq}`, p);
    for (const c of g.consumers) {
      const consumer: StreamConsumer = { name: text(c.name), seenTime: c.seenTimeMs, pending: new IdMap() };
      group.consumers.set(consumer.name, consumer);
      for (const id of c.pending) {
        const p = byId.get(`${id.ms}-${id.seq}`);
        if (!p) continue;
        const nack: PendingEntry = { id, deliveryTime: p.deliveryTimeMs, deliveryCount: p.deliveryCount, consumer };
        consumer.pending.set(nack);
        group.pending.set(nack);
      }
    }
    s.groups.set(group.name, group);
  }
  return s;
}
