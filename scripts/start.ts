import { run } from "./launch";

run("start");
