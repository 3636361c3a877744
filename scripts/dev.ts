import { run } from "./launch";

run("dev");
