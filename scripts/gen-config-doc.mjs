#!/usr/bin/env node
// Writes docs/configuration.md from the settings table (build first: npx tsc -p .).
import { writeFileSync } from 'node:fs';
import { markdownReference } from '../dist/src/config/doc.js';

const target = new URL('../docs/configuration.md', import.meta.url);
writeFileSync(target, markdownReference());
console.log(`wrote ${target.pathname}`);
