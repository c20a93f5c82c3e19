package io.github.infermetrics.spring;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/** An application with nothing of its own: what the starter auto-configures is all there is. */
@SpringBootConfiguration
@EnableAutoConfiguration
class TestApplication {}
